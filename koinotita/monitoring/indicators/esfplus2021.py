"""ESF+ 2021-2027 common indicators for participants: Regulation (EU) 2021/1057, Annex I.

Sex has three values (women, men, non-binary). The entity outputs EECO18 (public
administrations supported) and EECO19 (SMEs supported) are counted per operation, not per
person, and are not derived from participation records.
"""

from koinotita.monitoring.indicators import (
    EMPLOYED,
    FOLLOWUP,
    IMMEDIATE,
    INACTIVE,
    LONG_TERM,
    OUTPUT,
    RESULT,
    UNEMPLOYED,
    Indicator,
    IndicatorSet,
)

# v2: the completeness rule (an incomplete record counts only in EECO01, the total).
VERSION = "esfplus2021-2027/2021-1057-annex-I/v2"

OUT, RES = OUTPUT, RESULT
INDICATORS = (
    Indicator("EECO01", "Σύνολο συμμετεχόντων", "Total participants", OUT, "1 = 1",
              counts_all=True),
    Indicator("EECO02", "Άνεργοι, συμπεριλαμβανομένων των μακροχρόνια ανέργων",
              "Unemployed, including long-term unemployed", OUT, UNEMPLOYED),
    Indicator("EECO03", "Μακροχρόνια άνεργοι", "Long-term unemployed", OUT, LONG_TERM),
    Indicator("EECO04", "Οικονομικά μη ενεργοί", "Inactive", OUT, INACTIVE),
    Indicator("EECO05", "Εργαζόμενοι, συμπεριλαμβανομένων των αυτοαπασχολούμενων",
              "Employed, including self-employed", OUT, EMPLOYED),
    Indicator("EECO06", "Παιδιά κάτω των 18 ετών", "Children below 18 years of age", OUT,
              "f.age_at_entry < 18"),
    Indicator("EECO07", "Νέοι 18 έως 29 ετών", "Young people aged 18 to 29", OUT,
              "(f.age_at_entry >= 18 AND f.age_at_entry <= 29)"),
    Indicator("EECO08", "55 ετών και άνω", "Participants aged 55 and above", OUT,
              "f.age_at_entry >= 55"),
    Indicator("EECO09", "Με εκπαίδευση έως ISCED 2 (ISCED 0–2)",
              "With lower secondary education or less (ISCED 0–2)", OUT,
              "f.isced IN ('0', '1-2')"),
    Indicator("EECO10", "Με ανώτερη δευτεροβάθμια ή μεταδευτεροβάθμια εκπαίδευση (ISCED 3–4)",
              "With upper secondary or post-secondary education (ISCED 3–4)", OUT,
              "f.isced = '3-4'"),
    Indicator("EECO11", "Με τριτοβάθμια εκπαίδευση (ISCED 5–8)",
              "With tertiary education (ISCED 5–8)", OUT, "f.isced = '5-8'"),
    Indicator("EECO12", "Άτομα με αναπηρία", "Participants with disabilities", OUT,
              "f.disability = 'yes'"),
    Indicator("EECO12-D", "EECO12: αρνήθηκαν να απαντήσουν", "EECO12: declined to answer", OUT,
              "f.disability = 'declined'", declined=True),
    Indicator("EECO13", "Υπήκοοι τρίτων χωρών", "Third-country nationals", OUT,
              "f.third_country = TRUE"),
    Indicator("EECO14", "Άτομα με αλλοδαπό υπόβαθρο", "Participants of foreign background", OUT,
              "(f.foreign_background = 'yes' OR f.migrant = 'yes')"),
    Indicator("EECO14-D", "EECO14: αρνήθηκαν να απαντήσουν", "EECO14: declined to answer", OUT,
              "(f.foreign_background = 'declined' AND f.migrant <> 'yes')", declined=True),
    Indicator("EECO15", "Μειονότητες (και Ρομά)", "Minorities (including Roma)", OUT,
              "f.minority = 'yes'"),
    Indicator("EECO15-D", "EECO15: αρνήθηκαν να απαντήσουν", "EECO15: declined to answer", OUT,
              "f.minority = 'declined'", declined=True),
    Indicator("EECO16", "Άστεγοι ή άτομα που πλήττονται από αποκλεισμό από τη στέγαση",
              "Homeless or affected by housing exclusion", OUT, "f.homeless = TRUE"),
    Indicator("EECO17", "Άτομα από αγροτικές περιοχές", "Participants from rural areas", OUT,
              "f.rural = TRUE"),
    Indicator("EECR01", "Αναζητούν εργασία κατά την αποχώρηση",
              "Engaged in job searching upon leaving", RES,
              f"(f.l_exit_status = 'job_searching' AND {IMMEDIATE})"),
    Indicator("EECR02", "Σε εκπαίδευση ή κατάρτιση κατά την αποχώρηση",
              "In education or training upon leaving", RES,
              f"(f.l_exit_status = 'education' AND {IMMEDIATE})"),
    Indicator("EECR03", "Απέκτησαν προσόντα κατά την αποχώρηση",
              "Gaining a qualification upon leaving", RES,
              f"(f.l_qualification_gained = TRUE AND {IMMEDIATE})"),
    Indicator("EECR04", "Απασχολούμενοι (και αυτοαπασχολούμενοι) κατά την αποχώρηση",
              "In employment, including self-employment, upon leaving", RES,
              f"(f.l_exit_status = 'employed' AND {IMMEDIATE})"),
    Indicator("EECR05", "Απασχολούμενοι έξι μήνες μετά την αποχώρηση",
              "In employment six months after leaving", RES,
              f"(f.l_followup_status = 'employed' AND {FOLLOWUP})"),
    Indicator("EECR06",
              "Με βελτιωμένη θέση στην αγορά εργασίας έξι μήνες μετά την αποχώρηση",
              "With an improved labour market situation six months after leaving", RES,
              f"(f.l_improved_situation = TRUE AND {FOLLOWUP})"),
)  # fmt: skip

SET = IndicatorSet(
    key="esfplus2021",
    name_el="ΕΚΤ+ 2021-2027: κοινοί δείκτες συμμετεχόντων (Καν. 2021/1057)",
    name_en="ESF+ 2021-2027 common participant indicators (Reg. 2021/1057)",
    version=VERSION,
    indicators=INDICATORS,
    partitions=(("EECO01",), ("EECO02", "EECO04", "EECO05"), ("EECO09", "EECO10", "EECO11")),
    sexes=("F", "M", "X"),
    subsets=(("EECO03", "EECO02"),),
)
