# ruff: noqa: E501  (the catalogue texts: one string a line reads better than split ones)
"""The starting programme catalogue (domain/programmes.md) and the dated parameters of the
minimum guaranteed income, loaded through the app's services (versioned and audited like an
administrator's edit) by `koinotita demo` and by the tests.

`programmes_load_reference()` is idempotent: a programme already in the catalogue is left as
it is (an administrator may have edited it), and a parameter is added only when its key has
no value yet. Where a figure is not known, the entry says so (`unknown_figures`) and its
rule answers "cannot tell"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from koinotita.programmes.models import Parameter, Programme
from koinotita.programmes.services import parameter_save, programme_save

KYA_2018 = "ΚΥΑ Δ13/οικ./33475/1935 (ΦΕΚ Β΄ 2281/2018)"
FEK_2023 = "ΦΕΚ Β΄ 6456/2023"
DATE_NOTE = (
    "Η ΚΥΑ ορίζει τα νέα ποσά για αιτήσεις που εγκρίνονται από 1.12.2023· η σελίδα του ΟΠΕΚΑ "
    "για αιτήσεις που υποβάλλονται από τότε. / The ΚΥΑ says applications approved from "
    "1.12.2023; ΟΠΕΚΑ's page says submitted from then."
)
VERIFY = (
    "Όριο περιουσίας της ΚΥΑ· να επαληθευτεί με το ισχύον κείμενο πριν από παραγωγική χρήση. / "
    "Asset limit of the ΚΥΑ; check against the text in force before production use."
)
UNTIL_NOV_2023 = (date(2018, 1, 1), date(2023, 11, 30))
FROM_DEC_2023 = (date(2023, 12, 1), None)

# (key, value, unit, (valid_from, valid_to), legal source, note)
MINIMUM_INCOME_PARAMETERS = [
    ("amount_applicant", "200", "eur_month", UNTIL_NOV_2023, KYA_2018, ""),
    ("amount_adult", "100", "eur_month", UNTIL_NOV_2023, KYA_2018, ""),
    ("amount_minor", "50", "eur_month", UNTIL_NOV_2023, KYA_2018, ""),
    ("ceiling", "900", "eur_month", UNTIL_NOV_2023, KYA_2018, ""),
    ("amount_applicant", "216", "eur_month", FROM_DEC_2023, FEK_2023, DATE_NOTE),
    ("amount_adult", "108", "eur_month", FROM_DEC_2023, FEK_2023, DATE_NOTE),
    ("amount_minor", "54", "eur_month", FROM_DEC_2023, FEK_2023, DATE_NOTE),
    ("ceiling", "972", "eur_month", FROM_DEC_2023, FEK_2023, DATE_NOTE),
    # The asset tests of the ΚΥΑ (real estate: per further member, adult or minor).
    ("deposits_base", "4800", "eur", (date(2018, 1, 1), None), KYA_2018, VERIFY),
    ("deposits_adult", "2400", "eur", (date(2018, 1, 1), None), KYA_2018, VERIFY),
    ("deposits_minor", "1200", "eur", (date(2018, 1, 1), None), KYA_2018, VERIFY),
    ("deposits_max", "14400", "eur", (date(2018, 1, 1), None), KYA_2018, VERIFY),
    ("real_estate_base", "90000", "eur", (date(2018, 1, 1), None), KYA_2018, VERIFY),
    ("real_estate_adult", "15000", "eur", (date(2018, 1, 1), None), KYA_2018, VERIFY),
    ("real_estate_minor", "15000", "eur", (date(2018, 1, 1), None), KYA_2018, VERIFY),
    ("real_estate_max", "150000", "eur", (date(2018, 1, 1), None), KYA_2018, VERIFY),
    ("income_months", "6", "months", (date(2018, 1, 1), None), KYA_2018, ""),
    ("approval_months", "6", "months", (date(2018, 1, 1), None), KYA_2018,
     "Παρατάσεις με υπουργική απόφαση καταχωρίζονται ως νέα τιμή με τις ημερομηνίες τους."),
]  # fmt: skip

OPEKA = "ΟΠΕΚΑ (Οργανισμός Προνοιακών Επιδομάτων και Κοινωνικής Αλληλεγγύης)"
OPEKA_EN = "OPEKA (Organisation for Welfare Benefits and Social Solidarity)"
ID_DOCS = [
    ("id", "Αστυνομική ταυτότητα ή διαβατήριο / άδεια διαμονής", "ID card or passport / residence permit"),
    ("amka-afm", "ΑΜΚΑ και ΑΦΜ όλων των μελών", "AMKA and AFM of every member"),
    ("iban", "IBAN λογαριασμού του αιτούντος", "IBAN of the applicant's account"),
]  # fmt: skip

CATALOGUE = [
    {
        "code": "minimum-income",
        "order": 10,
        "name": "Ελάχιστο Εγγυημένο Εισόδημα (πρώην ΚΕΑ)",
        "name_en": "Minimum guaranteed income (formerly Social Solidarity Income, ΚΕΑ)",
        "managing_body": "Υπουργείο Κοινωνικής Συνοχής και Οικογένειας · " + OPEKA,
        "managing_body_en": "Ministry of Social Cohesion and Family · " + OPEKA_EN,
        "gives": (
            "Εισοδηματική ενίσχυση για έξι μήνες: το εγγυημένο ποσό του νοικοκυριού μείον το "
            "μέσο μηνιαίο εισόδημα του προηγούμενου εξαμήνου. Εγγυημένο ποσό: 216 € για τον "
            "αιτούντα, 108 € για κάθε άλλο ενήλικα, 54 € για κάθε ανήλικο (έως 972 €) από "
            "1.12.2023· πριν 200/100/50 € (έως 900 €). Επίσης πρόσβαση σε κοινωνικές "
            "υπηρεσίες και αγαθά και σε υπηρεσίες ενεργοποίησης (ΔΥΠΑ)."
        ),
        "gives_en": (
            "Income support for six months: the household's guaranteed amount minus the "
            "monthly average of its income of the previous six months. Guaranteed amount: "
            "216 € for the applicant, 108 € for each further adult, 54 € for each minor (up to "
            "972 €) from 1.12.2023; before, 200/100/50 € (up to 900 €). Also access to social "
            "services and goods, and to activation services (ΔΥΠΑ)."
        ),
        "who_for": (
            "Νοικοκυριά σε ακραία φτώχεια: εισόδημα εξαμήνου έως έξι φορές το εγγυημένο ποσό "
            "και ακίνητη περιουσία και καταθέσεις κάτω από τα όρια της ΚΥΑ. Σε μονογονεϊκή "
            "οικογένεια το μεγαλύτερο ανήλικο λογίζεται ενήλικο."
        ),
        "who_for_en": (
            "Households in extreme poverty: income of six months up to six times the "
            "guaranteed amount, and real estate and deposits under the limits of the ΚΥΑ. In a "
            "single-parent family the eldest minor counts as an adult."
        ),
        "apply_channels": ["platform", "centre", "municipality"],
        "apply_url": "https://keaprogram.gr/",
        "how_to_apply": (
            "Ηλεκτρονική αίτηση με κωδικούς Taxisnet στην πλατφόρμα, ή μέσω του Κέντρου "
            "Κοινότητας / της κοινωνικής υπηρεσίας του δήμου. Νέα αίτηση τον μήνα που λήγει η "
            "έγκριση."
        ),
        "how_to_apply_en": (
            "Online application with Taxisnet credentials on the platform, or through the "
            "Community Centre / the municipality's social service. A new application in the "
            "month the approval expires."
        ),
        "centre_role": (
            "Ενημέρωση, προέλεγχος, συμπλήρωση και υποβολή της αίτησης με τον ωφελούμενο, "
            "παρακολούθηση μέχρι την απόφαση και την ανανέωση· παραπομπές σε υπηρεσίες "
            "(δεύτερος και τρίτος πυλώνας)."
        ),
        "centre_role_en": (
            "Information, pre-screening, filling in and submitting the application with the "
            "person, following it to the decision and the renewal; referrals to services "
            "(second and third pillar)."
        ),
        "legal_source": KYA_2018 + " και οι τροποποιήσεις της· " + FEK_2023,
        "unknown_figures": (
            "Τα όρια ακίνητης περιουσίας και καταθέσεων είναι καταχωρισμένα με σημείωση "
            "επαλήθευσης· το όριο οχημάτων δεν έχει καταχωριστεί. / The real-estate and deposit "
            "limits are entered with a note to verify them; the vehicles limit is not entered."
        ),
        "documents": [
            *ID_DOCS,
            ("e1", "Εκκαθαριστικό / δήλωση Ε1 του τελευταίου έτους", "Last tax return (E1) and its assessment"),
            ("lease", "Μισθωτήριο ή βεβαίωση φιλοξενίας", "Lease or certificate of hosting"),
            ("income-6m", "Αποδεικτικά εισοδημάτων των τελευταίων έξι μηνών", "Proof of income of the last six months"),
            ("disability", "Γνωμάτευση ΚΕΠΑ (αν υπάρχει)", "ΚΕΠΑ certificate (if any)"),
        ],
    },
    {
        "code": "housing-allowance", "order": 20,
        "name": "Επίδομα στέγασης", "name_en": "Housing allowance",
        "managing_body": OPEKA, "managing_body_en": OPEKA_EN,
        "gives": "Μηνιαίο επίδομα για το ενοίκιο της κύριας κατοικίας.",
        "gives_en": "A monthly allowance towards the rent of the main home.",
        "who_for": "Νοικοκυριά που νοικιάζουν την κύρια κατοικία τους, με εισόδημα και περιουσία κάτω από τα όρια του νόμου.",
        "who_for_en": "Households renting their main home, with income and assets under the law's limits.",
        "apply_channels": ["platform", "centre"], "apply_url": "https://epidomastegasis.gr/",
        "how_to_apply": "Ηλεκτρονική αίτηση με κωδικούς Taxisnet· η αίτηση ανανεώνεται κάθε έτος.",
        "how_to_apply_en": "Online application with Taxisnet credentials, renewed every year.",
        "centre_role": "Ενημέρωση και βοήθεια με την αίτηση.", "centre_role_en": "Information and help with the application.",
        "legal_source": "ν. 4472/2017, άρθρο 2 και οι ΚΥΑ εφαρμογής του",
        "unknown_figures": "Ποσά και όρια εισοδήματος/περιουσίας: δεν έχουν καταχωριστεί. / Amounts and limits: not entered.",
        "documents": [*ID_DOCS, ("lease", "Ηλεκτρονικό μισθωτήριο (ΑΑΔΕ)", "Electronic lease (AADE)"),
                      ("e1", "Δήλωση Ε1 του τελευταίου έτους", "Last tax return (E1)")],
    },
    {
        "code": "child-benefit", "order": 30,
        "name": "Επίδομα παιδιού (Α21)", "name_en": "Child benefit (Α21)",
        "managing_body": OPEKA, "managing_body_en": OPEKA_EN,
        "gives": "Μηνιαίο επίδομα για κάθε εξαρτώμενο τέκνο, κλιμακωμένο κατά ισοδύναμο εισόδημα.",
        "gives_en": "A monthly benefit for each dependent child, scaled by equivalised income.",
        "who_for": "Οικογένειες με εξαρτώμενα τέκνα, κάτω από τα όρια ισοδύναμου εισοδήματος.",
        "who_for_en": "Families with dependent children, under the equivalised-income limits.",
        "apply_channels": ["platform", "centre"], "apply_url": "https://www.opeka.gr/",
        "how_to_apply": "Ηλεκτρονική αίτηση Α21 με κωδικούς Taxisnet.",
        "how_to_apply_en": "Online Α21 application with Taxisnet credentials.",
        "centre_role": "Ενημέρωση και βοήθεια με την αίτηση.", "centre_role_en": "Information and help with the application.",
        "legal_source": "ν. 4512/2018, άρθρο 214",
        "unknown_figures": "Ποσά και κλίμακες εισοδήματος: δεν έχουν καταχωριστεί. / Amounts and income bands: not entered.",
        "documents": [*ID_DOCS, ("e1", "Δήλωση Ε1 του τελευταίου έτους", "Last tax return (E1)"),
                      ("family-status", "Πιστοποιητικό οικογενειακής κατάστασης", "Family status certificate")],
    },
    {
        "code": "disability-benefits", "order": 40,
        "name": "Προνοιακά επιδόματα αναπηρίας και πιστοποίηση αναπηρίας (ΚΕΠΑ)",
        "name_en": "Disability benefits and disability certification (ΚΕΠΑ)",
        "managing_body": OPEKA + " · e-ΕΦΚΑ (ΚΕΠΑ)", "managing_body_en": OPEKA_EN + " · e-EFKA (ΚΕΠΑ)",
        "gives": "Μηνιαία προνοιακά επιδόματα ανάλογα με το είδος και το ποσοστό αναπηρίας.",
        "gives_en": "Monthly welfare benefits according to the kind and percentage of disability.",
        "who_for": "Άτομα με αναπηρία πιστοποιημένη από τα ΚΕΠΑ.",
        "who_for_en": "People with a disability certified by ΚΕΠΑ.",
        "apply_channels": ["platform", "centre", "in_person"], "apply_url": "https://www.efka.gov.gr/",
        "how_to_apply": "Αίτηση πιστοποίησης στο ΚΕΠΑ (μέσω ιατρού ή ηλεκτρονικά), έπειτα αίτηση επιδόματος.",
        "how_to_apply_en": "Apply for certification at ΚΕΠΑ (through a doctor or online), then for the benefit.",
        "centre_role": "Ενημέρωση, βοήθεια με τις αιτήσεις ΚΕΠΑ και επιδόματος.",
        "centre_role_en": "Information, help with the ΚΕΠΑ and benefit applications.",
        "legal_source": "ν. 3863/2010, άρθρο 6 (ΚΕΠΑ)",
        "unknown_figures": "Ποσά επιδομάτων: δεν έχουν καταχωριστεί. / Benefit amounts: not entered.",
        "documents": [*ID_DOCS, ("medical", "Ιατρικές γνωματεύσεις και εξετάσεις", "Medical reports and tests")],
    },
    {
        "code": "food-aid", "order": 50,
        "name": "Επισιτιστική και βασική υλική συνδρομή (ΤΕΒΑ / FEAD)",
        "name_en": "Food and basic material aid (ΤΕΒΑ / FEAD)",
        "managing_body": "Κοινωνικές Συμπράξεις ΤΕΒΑ (δήμοι, περιφερειακές ενότητες)",
        "managing_body_en": "ΤΕΒΑ social partnerships (municipalities, regional units)",
        "gives": "Τρόφιμα και είδη βασικής υλικής συνδρομής σε τακτικές διανομές· συνοδευτικά μέτρα.",
        "gives_en": "Food and basic material goods in regular distributions; accompanying measures.",
        "who_for": "Δικαιούχοι του Ελάχιστου Εγγυημένου Εισοδήματος.",
        "who_for_en": "Beneficiaries of the minimum guaranteed income.",
        "apply_channels": ["municipality", "centre"], "apply_url": "",
        "how_to_apply": "Οι δικαιούχοι του ΕΕΕ εντάσσονται μέσω της Κοινωνικής Σύμπραξης της περιοχής.",
        "how_to_apply_en": "Beneficiaries of the minimum income join through the area's social partnership.",
        "centre_role": "Ενημέρωση, συμμετοχή στις διανομές με τους φορείς που τις κάνουν.",
        "centre_role_en": "Information, taking part in the distributions with the bodies that run them.",
        "legal_source": "ΕΠ Επισιτιστικής και Βασικής Υλικής Συνδρομής (ΤΕΒΑ/FEAD)",
        "unknown_figures": "", "documents": [("approval", "Απόφαση έγκρισης ΕΕΕ", "Minimum income approval")],
    },
    {
        "code": "social-tariff", "order": 60,
        "name": "Κοινωνικό Οικιακό Τιμολόγιο ρεύματος (ΚΟΤ) και κοινωνικό τιμολόγιο νερού",
        "name_en": "Social tariff for electricity (ΚΟΤ) and water",
        "managing_body": "Υπουργείο Περιβάλλοντος και Ενέργειας · ΔΕΥΑ του δήμου",
        "managing_body_en": "Ministry of Environment and Energy · the municipal water utility",
        "gives": "Έκπτωση στους λογαριασμούς ρεύματος και νερού.",
        "gives_en": "A discount on electricity and water bills.",
        "who_for": "Ευάλωτα νοικοκυριά κάτω από όρια εισοδήματος και περιουσίας· άτομα με αναπηρία.",
        "who_for_en": "Vulnerable households under income and asset limits; people with disabilities.",
        "apply_channels": ["platform", "municipality"], "apply_url": "https://www.kot.gov.gr/",
        "how_to_apply": "Ηλεκτρονική αίτηση ΚΟΤ· για το νερό, αίτηση στη ΔΕΥΑ.",
        "how_to_apply_en": "Online ΚΟΤ application; for water, apply to the water utility.",
        "centre_role": "Ενημέρωση και βοήθεια με την αίτηση.", "centre_role_en": "Information and help with the application.",
        "legal_source": "Κοινωνικό Οικιακό Τιμολόγιο (ΚΟΤ), απόφαση ΥΠΕΝ",
        "unknown_figures": "Όρια εισοδήματος και εκπτώσεις: δεν έχουν καταχωριστεί. / Limits and discounts: not entered.",
        "documents": [*ID_DOCS, ("bill", "Λογαριασμός ρεύματος / νερού", "Electricity / water bill")],
    },
    {
        "code": "help-at-home", "order": 70,
        "name": "Βοήθεια στο Σπίτι", "name_en": "Help at Home",
        "managing_body": "Δήμος (κοινωνική υπηρεσία)", "managing_body_en": "Municipality (social service)",
        "gives": "Κοινωνική φροντίδα, νοσηλευτική φροντίδα και οικιακή βοήθεια στο σπίτι.",
        "gives_en": "Social care, nursing care and domestic help at home.",
        "who_for": "Ηλικιωμένοι και άτομα με αναπηρία που δεν αυτοεξυπηρετούνται πλήρως.",
        "who_for_en": "Older people and people with disabilities who cannot fully look after themselves.",
        "apply_channels": ["municipality", "centre"], "apply_url": "",
        "how_to_apply": "Αίτηση στον δήμο· αξιολόγηση από την ομάδα του προγράμματος.",
        "how_to_apply_en": "Apply to the municipality; the programme's team assesses the need.",
        "centre_role": "Ενημέρωση και παραπομπή.", "centre_role_en": "Information and referral.",
        "legal_source": "ν. 4995/2022 (Βοήθεια στο Σπίτι)",
        "unknown_figures": "Κριτήρια ένταξης ορίζει ο δήμος. / Admission criteria are set by the municipality.",
        "documents": [*ID_DOCS[:2], ("medical", "Ιατρική γνωμάτευση", "Medical report")],
    },
    {
        "code": "day-care-older", "order": 80,
        "name": "Κέντρα Ημερήσιας Φροντίδας Ηλικιωμένων (ΚΗΦΗ)", "name_en": "Day-care centres for older people (ΚΗΦΗ)",
        "managing_body": "Δήμος", "managing_body_en": "Municipality",
        "gives": "Ημερήσια φροντίδα ηλικιωμένων που δεν αυτοεξυπηρετούνται πλήρως.",
        "gives_en": "Day care for older people who cannot fully look after themselves.",
        "who_for": "Ηλικιωμένοι με ανάγκη φροντίδας, των οποίων η οικογένεια εργάζεται.",
        "who_for_en": "Older people needing care whose family works.",
        "apply_channels": ["municipality", "in_person"], "apply_url": "",
        "how_to_apply": "Αίτηση στο ΚΗΦΗ του δήμου.", "how_to_apply_en": "Apply at the municipality's ΚΗΦΗ.",
        "centre_role": "Ενημέρωση και παραπομπή.", "centre_role_en": "Information and referral.",
        "legal_source": "Κέντρα Ημερήσιας Φροντίδας Ηλικιωμένων (ΚΗΦΗ), ΕΣΠΑ / πρόγραμμα «Εναρμόνιση»",
        "unknown_figures": "Προτεραιότητες και κόστος ορίζει ο φορέας. / Priority and cost are set by the body.",
        "documents": [*ID_DOCS[:2], ("medical", "Ιατρική γνωμάτευση", "Medical report")],
    },
    {
        "code": "day-care-children", "order": 90,
        "name": "Κέντρα Δημιουργικής Απασχόλησης Παιδιών (ΚΔΑΠ)", "name_en": "Day-care centres for children (ΚΔΑΠ)",
        "managing_body": "Δήμος · ΕΕΤΑΑ (voucher «Εναρμόνιση»)", "managing_body_en": "Municipality · EETAA ('Harmonisation' voucher)",
        "gives": "Δημιουργική απασχόληση παιδιών μετά το σχολείο, με voucher για όσους δικαιούνται.",
        "gives_en": "Creative activities for children after school, with a voucher for those entitled.",
        "who_for": "Οικογένειες με παιδιά σχολικής ηλικίας, κάτω από όρια εισοδήματος.",
        "who_for_en": "Families with school-age children, under income limits.",
        "apply_channels": ["platform", "municipality"], "apply_url": "https://paidikoi.eetaa.gr/",
        "how_to_apply": "Αίτηση στην πλατφόρμα της ΕΕΤΑΑ όταν ανοίγει η πρόσκληση.",
        "how_to_apply_en": "Apply on EETAA's platform when the call opens.",
        "centre_role": "Ενημέρωση και βοήθεια με την αίτηση.", "centre_role_en": "Information and help with the application.",
        "legal_source": "Κέντρα Δημιουργικής Απασχόλησης Παιδιών (ΚΔΑΠ), πρόγραμμα «Εναρμόνιση»",
        "unknown_figures": "Όρια εισοδήματος της πρόσκλησης: δεν έχουν καταχωριστεί. / The call's income limits: not entered.",
        "documents": [*ID_DOCS[:2], ("e1", "Δήλωση Ε1 του τελευταίου έτους", "Last tax return (E1)")],
    },
    {
        "code": "employment-dypa", "order": 100,
        "name": "Προγράμματα απασχόλησης της ΔΥΠΑ (πρώην ΟΑΕΔ)", "name_en": "Employment programmes of ΔΥΠΑ (formerly ΟΑΕΔ)",
        "managing_body": "Δημόσια Υπηρεσία Απασχόλησης (ΔΥΠΑ)", "managing_body_en": "Public Employment Service (ΔΥΠΑ)",
        "gives": "Επιδότηση ανεργίας, κατάρτιση, προγράμματα απασχόλησης, συμβουλευτική.",
        "gives_en": "Unemployment benefit, training, employment programmes, counselling.",
        "who_for": "Άνεργοι εγγεγραμμένοι στη ΔΥΠΑ.", "who_for_en": "Unemployed people registered with ΔΥΠΑ.",
        "apply_channels": ["platform", "in_person"], "apply_url": "https://www.dypa.gov.gr/",
        "how_to_apply": "Εγγραφή στο μητρώο ανέργων ηλεκτρονικά ή στο ΚΠΑ2.",
        "how_to_apply_en": "Register as unemployed online or at the local ΚΠΑ2 office.",
        "centre_role": "Ενημέρωση, παραπομπή στη ΔΥΠΑ (τρίτος πυλώνας ΕΕΕ).",
        "centre_role_en": "Information, referral to ΔΥΠΑ (third pillar of the minimum income).",
        "legal_source": "ν. 4921/2022 (ΔΥΠΑ)", "unknown_figures": "",
        "documents": ID_DOCS[:2],
    },
]  # fmt: skip


@transaction.atomic
def programmes_load_reference(actor=None) -> int:
    """Load the catalogue and the minimum income's parameters; returns how many programmes
    were added."""
    added = 0
    for entry in CATALOGUE:
        fields = {k: v for k, v in entry.items() if k != "documents"}
        if Programme.objects.filter(code=entry["code"]).exists():
            continue
        programme_save(
            programme=Programme(**fields),
            actor=actor,
            documents=[
                {"code": c, "name": name, "name_en": name_en, "order": n}
                for n, (c, name, name_en) in enumerate(entry["documents"])
            ],
        )
        added += 1
    programme = Programme.objects.get(code="minimum-income")
    for key, value, unit, (start, end), source, note in MINIMUM_INCOME_PARAMETERS:
        if Parameter.objects.filter(programme=programme, key=key, valid_from=start).exists():
            continue
        parameter_save(
            parameter=Parameter(
                programme=programme, key=key, value=Decimal(value), unit=unit,
                valid_from=start, valid_to=end, legal_source=source, note=note,
            ),
            actor=actor,
        )  # fmt: skip
    return added
