"""Synthetic Greek persons, households and contacts, from the demo's few thousand persons to
the national volume (1,000,000 persons, 10,000,000 contacts).

What is generated
- Names with plausible frequencies: common Greek surnames in their male and female forms
  (Παπαδόπουλος / Παπαδοπούλου), Παπα- surnames for 10% of Greek persons (PERFORMANCE.md),
  formal and everyday given names, and father's and mother's given names that agree within
  a household (children carry their parents' names; a first son often his grandfather's).
  Some Roma persons, and migrants (Albanian, Bulgarian, Georgian, Ukrainian, Syrian,
  Afghan, Pakistani) with their names in Greek script and their passport Latin form.
- Households (alone, couple, couple with children, single parent, three generations, an
  adult with an elderly parent) sharing an address in the municipality that the person's
  site serves: the centre's own municipality, or the neighbouring one for an antenna.
- Birth dates (ages 0 to 95) that follow from the household; a valid AMKA for each birth
  date and sex (DDMMYY, serial, odd or even tenth digit, Luhn digit); a valid AFM for most
  adults; police ID numbers (two letters of ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ and six digits, some older
  one-letter ones); mobile and landline phones; coded categories; the Latin names by
  ELOT 743; and the search key exactly as `person_search_key` computes it.
- A consent to registration for everyone, given on the day the person was registered.
- Contacts from each person's registration day on, on working days (no weekends or public
  holidays, fewer in August), in office hours, with channels, sites, services, minutes and
  what was asked; the first contact of each person is their registration; a few are with
  two members of a household, a few are anonymous.
- A few synthetic staff per centre (3 to 8: reception, caseworkers, a Roma mediator where
  there is a Roma branch) and, beyond the centres already there, synthetic centres in real
  municipalities with their region, regional unit and main office.

How it is written
- In one transaction: a failure leaves nothing behind.
- PostgreSQL: COPY (psycopg 3). For a large load (bulk mode) the secondary indexes and the
  foreign keys of the tables written are dropped inside the transaction and re-created at
  its end, as PostgreSQL's "Populating a Database" advises; re-creating a foreign key checks
  every row. The tables written are locked for the duration; run national volumes on a
  database that is not serving users.
- SQLite: executemany in big batches.
- One audit event per run ("synth.generated") with the counts, not one per row.
- Deterministic: the same seed on the same database state and the same day gives the same
  data (every centre draws from its own random stream, so adding centres does not change
  the persons of the others).
"""

from __future__ import annotations

import json
import multiprocessing
import random
import sys
import time
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from queue import Empty
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from koinotita.accounts.models import Role, RoleAssignment, ScopeLevel, User
from koinotita.audit.services import audit_record
from koinotita.lib.greek import elot743, phonetic
from koinotita.lib.progress import Progress
from koinotita.organisations.models import Centre, Municipality, Region, RegionalUnit, Site
from koinotita.people.models import Category, Consent, Household, Person
from koinotita.people.services import person_search_key
from koinotita.reception.models import Contact, ContactPerson, Service

# ---------------------------------------------------------------------------------------
# Name frequency data
# ---------------------------------------------------------------------------------------
# Surnames as "male/female" (one form when both are the same), most common first inside
# each group. Weights inside a group fall off as a Zipf law; the groups' shares of Greek
# persons are in SURNAME_GROUPS. Every surname beginning with Παπα- is rescaled so that
# they are 10% of Greek persons together, as in the data of PERFORMANCE.md.
_PAPA = """
Παπαδόπουλος/Παπαδοπούλου Παπαγεωργίου Παπαδάκης/Παπαδάκη Παπανικολάου Παπαϊωάννου
Παπαδημητρίου Παπαθανασίου Παπακωνσταντίνου Παπαγιάννης/Παπαγιάννη Παπαευαγγέλου
Παπαχρήστου Παπαστεργίου Παπαβασιλείου Παπαναστασίου Παπαπέτρου Παπαμιχαήλ
Παπαγιαννόπουλος/Παπαγιαννοπούλου Παπαθεοδώρου Παπαλεξίου Παπαντωνίου Παπαχαραλάμπους
Παπασταύρου Παπαζήσης/Παπαζήση Παπαγεωργόπουλος/Παπαγεωργοπούλου Παπακώστας/Παπακώστα
Παπαδήμας/Παπαδήμα Παπανδρέου Παπαστάθης/Παπαστάθη Παπαοικονόμου Παπασπύρου Παπαηλίου
Παπαδογιάννης/Παπαδογιάννη Παπαθανασόπουλος/Παπαθανασοπούλου Παπαγρηγορίου Παπαφιλίππου
Παπαλάμπρου
"""
_CHATZI = """
Χατζηγεωργίου Χατζής/Χατζή Χατζηδημητρίου Χατζηνικολάου Χατζόπουλος/Χατζοπούλου
Χατζηιωάννου Χατζηδάκης/Χατζηδάκη Χατζηαντωνίου Χατζηχρήστου Χατζηπαναγιώτου
"""
_OPOULOS_STEMS = """
Αγγελ Πετρ Παναγιωτ Γεωργ Δημ Σταθ Λαμπρ Κωστ Χριστ Ηλι Γιανν Νικολ Αναστασ Σπυρ Αντων
Βασιλ Θεοδωρ Μιχαλ Σταυρ Φωτ Κυριακ Αποστολ Χαραλαμπ Αλεξ Ανδρε Μαρκ Γρηγορ Στεφαν Παυλ
Θωμ Ζαχαρ Καλογερ Σταματ Ραφτ Σιδηρ Μανωλ Γιαννακ Δημητρ Κατσαρ Αθανασ Ευαγγελ Κουτσ Μαυρ
Ρηγ
"""
_IDIS_STEMS = """
Κωνσταντιν Ιωανν Μιχαηλ Θεοδωρ Κυριακ Σαββ Παυλ Μαυρ Στεφαν Χαραλαμπ Χριστοδουλ Παναγιωτ
Πολυχρον Αβραμ Λαζαρ Πασχαλ Τσολακ Αμανατ Αλεξανδρ Ιορδαν Σιδηροπουλ Ευσταθ
"""
_ADIS_STEMS = "Γεωργι Δημητρι Αθανασι Ευθυμι Αναστασι Βασιλει Σωτηρι Ηλι Ελευθερι Γρηγορι"
_AKIS_STEMS = """
Γεωργ Νικολ Μανωλ Δημητρ Μιχαλ Σταυρ Αντων Πετρ Μαρκ Βασιλ Γιανν Χριστ Κυριακ Παυλ Θεοδωρ
Σπυριδ Λαμπρ Φωτ Κωνσταντ Στεφαν Μαυρ Καλογερ Τζαν Κοκκιν Δασκαλ Ψαρ Σφακιαν Τσολ Μητσοτ
Ζαχαρ
"""
_GENITIVE = """
Νικολάου Γεωργίου Ιωάννου Βασιλείου Δημητρίου Αθανασίου Αντωνίου Χριστοδούλου Αλεξίου
Κωνσταντίνου Ευαγγέλου Αναστασίου Παναγιώτου Ζαφειρίου Αναγνώστου Αργυρίου Μιχαήλ Λάμπρου
Σταύρου Πέτρου Μάρκου Θεοδώρου Χρήστου Σπύρου Στεφάνου Παύλου Ηλίου Ανδρέου Φιλίππου
Γρηγορίου Χαραλάμπους Αποστόλου Κυριάκου Στυλιανού Ματθαίου Σωτηρίου Ζαχαρίου Φωτίου
"""
_OTHER = """
Βλάχος/Βλάχου Μακρής/Μακρή Παππάς/Παππά Οικονόμου Καραγιάννης/Καραγιάννη Τσακίρης/Τσακίρη
Ζερβός/Ζερβού Κατσαρός/Κατσαρού Μαργαρίτης/Μαργαρίτη Ρήγας/Ρήγα Καλαμαράς/Καλαμαρά
Φράγκος/Φράγκου Δούκας/Δούκα Γκίκας/Γκίκα Θεοχάρης/Θεοχάρη Κούρτης/Κούρτη Σαμαράς/Σαμαρά
Λιάπης/Λιάπη Μπούρας/Μπούρα Καραμανλής/Καραμανλή Αλεξανδρής/Αλεξανδρή Κουτσός/Κουτσού
Μαυρομάτης/Μαυρομάτη Σιδέρης/Σιδέρη Τζιόλας/Τζιόλα Χρυσός/Χρυσού Λιόλιος/Λιόλιου
Μπέκας/Μπέκα Ντόκας/Ντόκα Τσιρώνης/Τσιρώνη Γιαννούλης/Γιαννούλη Καραλής/Καραλή
Μπαλτάς/Μπαλτά Τσούκας/Τσούκα Καραμπάτσος/Καραμπάτσου Τσιάρας/Τσιάρα Ζήσης/Ζήση
Γούσιος/Γούσιου Νάκος/Νάκου Μπίτσιος/Μπίτσιου Σταμάτης/Σταμάτη Τσάμης/Τσάμη Κοντός/Κοντού
Μουστάκας/Μουστάκα Δρόσος/Δρόσου Μήτσιος/Μήτσιου Πάνος/Πάνου Καλογιάννης/Καλογιάννη
Μαλάμος/Μαλάμου Γαλάνης/Γαλάνη Ράπτης/Ράπτη Μελάς/Μελά Σαρρής/Σαρρή Κασίμης/Κασίμη
Ευθυμίου Καρανίκας/Καρανίκα Μπαλάσκας/Μπαλάσκα Ντάβος/Ντάβου Τσιλιγκίρης/Τσιλιγκίρη
Λαζαρίδης/Λαζαρίδου Σαμαρτζής/Σαμαρτζή Κεχαγιάς/Κεχαγιά Μπαμπάτσικος/Μπαμπάτσικου
Τσότσος/Τσότσου Ζιώγας/Ζιώγα Γκαντίδης/Γκαντίδου Σταμπουλής/Σταμπουλή Κυρίτσης/Κυρίτση
"""
# The long tail: these stems with the endings below, and with the prefixes Καρα-, Μαυρο-,
# Κοντο- and Χατζη- (stems beginning with a consonant), as surnames are formed.
_TAIL_STEMS = """
Ραφτ Σιδηρ Καλογερ Δασκαλ Ψαρ Μυλων Τσαγκαρ Ψωμ Κοκκιν Μπακαλ Χασαπ Παπουτσ Βλαχ Μαργαριτ
Σαρρ Ζαφειρ Λιαπ Τσιτσ Μπουρ Γκουν Κουρτ Μελ Πατσ Ρουσ Σταμ Τζιολ Φραγκ Χρυσ Ζερβ Κατσ
Μακρ Κουκ Λαζ Μαυρομιχαλ Ντουμ Πλατ Ροδ Σκαρλατ Τριανταφυλλ Βογιατζ Δεληγιανν Ζουμπουλ
Καλαμ Καραμπ Κουλουρ Λαγ Μανουσ Μιχελ Μπαλ Μπεκ Ντιν Ξεν Πανταζ Ρηγ Σαραντ Σωτηρ Τσακ
Τσολ Φιλιππ Χαλκ Χουλ
"""
_TAIL_ENDINGS = (("όπουλος", "οπούλου"), ("ίδης", "ίδου"), ("άκης", "άκη"), ("άτος", "άτου"))
_TAIL_PREFIXES = ("Καρα", "Μαυρο", "Κοντο", "Χατζη")
SURNAME_GROUPS = {  # share of Greek persons
    "papa": 0.10,
    "chatzi": 0.02,
    "opoulos": 0.14,
    "idis": 0.10,
    "akis": 0.07,
    "genitive": 0.13,
    "other": 0.16,
    "tail": 0.28,
}
PAPA_SHARE = SURNAME_GROUPS["papa"]

# Given names as "name:weight" (per mille, roughly; formal forms, then everyday forms).
_MALE = """
Γεώργιος:95 Ιωάννης:80 Κωνσταντίνος:70 Δημήτριος:68 Νικόλαος:60 Παναγιώτης:40 Βασίλειος:35
Χρήστος:35 Αθανάσιος:30 Μιχαήλ:20 Ευάγγελος:20 Αντώνιος:16 Σπυρίδων:15 Αναστάσιος:14
Θεόδωρος:14 Ανδρέας:12 Αλέξανδρος:12 Χαράλαμπος:11 Εμμανουήλ:10 Ηλίας:10 Σταύρος:9
Πέτρος:9 Σωτήριος:8 Στυλιανός:8 Απόστολος:8 Ελευθέριος:7 Φώτιος:6 Γρηγόριος:6 Διονύσιος:5
Άγγελος:5 Στέφανος:5 Ευστάθιος:5 Κυριάκος:5 Παύλος:4 Παρασκευάς:4 Αριστείδης:3 Λεωνίδας:3
Θωμάς:3 Μάρκος:3 Λάμπρος:3 Φίλιππος:3 Σάββας:3 Νεκτάριος:3 Ιάσονας:2 Ορέστης:2 Άρης:2
Ραφαήλ:2 Πρόδρομος:2 Ζήσης:2 Τριαντάφυλλος:2 Μιλτιάδης:2 Αχιλλέας:2 Οδυσσέας:2 Προκόπιος:2
Γιώργος:25 Γιάννης:20 Κώστας:15 Δημήτρης:15 Νίκος:14 Βασίλης:8 Θανάσης:7 Μιχάλης:5
Βαγγέλης:5 Σπύρος:4 Αντώνης:4 Τάσος:3 Θοδωρής:3 Μανώλης:3 Λευτέρης:2 Στέλιος:2 Χάρης:2
"""
_FEMALE = """
Μαρία:120 Ελένη:60 Αικατερίνη:50 Βασιλική:35 Σοφία:30 Αγγελική:28 Γεωργία:28 Δήμητρα:27
Κωνσταντίνα:25 Παρασκευή:20 Ευαγγελία:20 Ιωάννα:20 Χριστίνα:20 Αναστασία:18 Ειρήνη:18
Παναγιώτα:16 Δέσποινα:12 Χρυσούλα:10 Αθανασία:10 Σταυρούλα:10 Άννα:10 Θεοδώρα:9
Αλεξάνδρα:9 Ευτυχία:8 Ζωή:8 Φωτεινή:7 Κυριακή:7 Αργυρώ:6 Νικολέτα:6 Ευγενία:6 Μαρίνα:6
Καλλιόπη:6 Ελευθερία:6 Στυλιανή:5 Αντωνία:5 Όλγα:4 Βαρβάρα:4 Ευδοκία:3 Αφροδίτη:3
Πηνελόπη:3 Δανάη:3 Μαγδαληνή:3 Χαρίκλεια:3 Σπυριδούλα:3 Ευανθία:3 Σμαράγδα:2 Αλίκη:2
Ραφαέλα:2 Μυρτώ:2 Βικτωρία:2 Κατερίνα:20 Νίκη:4 Βάσω:4 Βούλα:4 Ρούλα:3 Τασούλα:2 Ντίνα:2
Πόπη:2
"""
# Names common among Roma and Muslim Roma families (with the Greek names above).
_ROMA_SURNAMES = "Μεμέτ Χασάν Σαλή Μουσταφά Αλή Ισμαήλ Χουσεΐν Ιμπραήμ Οσμάν Χαλίλ"
_ROMA_MALE = "Αχμέτ:3 Μεχμέτ:3 Χασάν:2 Χουσεΐν:2 Ισμαήλ:2 Μουσταφά:2 Σουλεϊμάν:1 Ραμαζάν:1"
_ROMA_FEMALE = "Αϊσέ:3 Φατμέ:3 Εμινέ:2 Ζεϊνέπ:2 Μελέκ:1 Χατιτζέ:1"

# Migrant communities: citizenship, share among migrant households, preferred languages,
# and names as "Greek=Latin" (surnames "male/female=Male/Female" when they have genders).
MIGRANT_GROUPS = [
    {
        "citizenship": "AL",
        "weight": 55,
        "languages": ("sq", "el"),
        "male": "Αρμπέν=Arben Ιλίρ=Ilir Γκεντιάν=Gentian Εριόν=Erion Φατμίρ=Fatmir "
        "Μπλεντί=Blendi Κλεντί=Kledi Αρτάν=Artan Σοκόλ=Sokol Μπεσνίκ=Besnik",
        "female": "Ελόνα=Elona Ερμίρα=Ermira Μπλερίνα=Blerina Βαλμπόνα=Valbona "
        "Ενκελέντα=Enkelejda Λιντίτα=Lindita Αντέλα=Adela",
        "surnames": "Χότζα=Hoxha Σέχου=Shehu Ντερβίσι=Dervishi Κόλα=Kola Λέκα=Leka Χίσα=Hysa "
        "Γκιόκα=Gjoka Μάρκου=Marku Μπεκίρι=Beqiri Κρασνίκι=Krasniqi Μπερίσα=Berisha Τσέλα=Cela",
    },
    {
        "citizenship": "BG",
        "weight": 8,
        "languages": ("bg",),
        "male": "Ιβάν=Ivan Γκεόργκι=Georgi Ντιμίταρ=Dimitar Στογιάν=Stoyan Νικολάι=Nikolai",
        "female": "Μαρία=Maria Ιβάνκα=Ivanka Ελένα=Elena Γιορντάνκα=Yordanka Πέτια=Petya",
        "surnames": "Ιβάνοφ/Ιβάνοβα=Ivanov/Ivanova Πετρόφ/Πετρόβα=Petrov/Petrova "
        "Γκεοργκίεφ/Γκεοργκίεβα=Georgiev/Georgieva Ντιμιτρόφ/Ντιμιτρόβα=Dimitrov/Dimitrova "
        "Στογιάνοφ/Στογιάνοβα=Stoyanov/Stoyanova Νικολόφ/Νικολόβα=Nikolov/Nikolova",
    },
    {
        "citizenship": "GE",
        "weight": 6,
        "languages": ("other", "ru"),
        "male": "Γκιόργκι=Giorgi Νταβίτ=Davit Ζουράμπ=Zurab Λέβαν=Levan Ιράκλι=Irakli",
        "female": "Νίνο=Nino Ταμάρ=Tamar Μάκα=Maka Νάνα=Nana Κέτεβαν=Ketevan",
        "surnames": "Μπεριτζέ=Beridze Καπανάτζε=Kapanadze Γκελασβίλι=Gelashvili "
        "Μαϊσουράτζε=Maisuradze Λομιτζέ=Lomidze Τσικλάουρι=Tsiklauri",
    },
    {
        "citizenship": "UA",
        "weight": 5,
        "languages": ("other", "ru"),
        "male": "Ολεξάντρ=Oleksandr Αντρίι=Andrii Σερχίι=Serhii Ντμίτρο=Dmytro",
        "female": "Όλενα=Olena Ναταλία=Natalia Ιρίνα=Iryna Οξάνα=Oksana Τετιάνα=Tetiana",
        "surnames": "Σεβτσένκο=Shevchenko Κοβαλένκο=Kovalenko Μποντάρενκο=Bondarenko "
        "Τκατσένκο=Tkachenko Μέλνικ=Melnyk",
    },
    {
        "citizenship": "SY",
        "weight": 9,
        "languages": ("ar",),
        "male": "Μοχάμεντ=Mohammed Αχμάντ=Ahmad Αλί=Ali Ομάρ=Omar Χαλίντ=Khaled "
        "Μαχμούντ=Mahmoud Γιουσέφ=Youssef",
        "female": "Φατιμά=Fatima Αΐσα=Aisha Ζεϊνάμπ=Zainab Μαριάμ=Mariam Νουρ=Nour Χάλα=Hala",
        "surnames": "Αλ Χασάν=Al Hassan Χαλάμπι=Halabi Μασρί=Masri Ομάρ=Omar Σαλέχ=Saleh "
        "Ιμπραΐμ=Ibrahim Χαμντάν=Hamdan",
    },
    {
        "citizenship": "AF",
        "weight": 10,
        "languages": ("fa",),
        "male": "Αχμάντ=Ahmad Μοχαμάντ=Mohammad Αλί=Ali Χουσεΐν=Hussain Ρεζά=Reza Μουσταφά=Mustafa",
        "female": "Φατιμά=Fatima Ζάχρα=Zahra Μαριάμ=Maryam Σακινά=Sakina",
        "surnames": "Χοσεϊνί=Hosseini Ραχιμί=Rahimi Αχμαντί=Ahmadi Καριμί=Karimi "
        "Χαϊνταρί=Haidari Μοχαμαντί=Mohammadi Νουρί=Nouri",
    },
    {
        "citizenship": "PK",
        "weight": 7,
        "languages": ("other", "en"),
        "male": "Μουχάμαντ=Muhammad Ιμράν=Imran Ασίφ=Asif Ταρίκ=Tariq Μπιλάλ=Bilal",
        "female": "Αΐσα=Ayesha Σάμπα=Saba Ναζία=Nazia",
        "surnames": "Χαν=Khan Αλί=Ali Μπατ=Butt Ικμπάλ=Iqbal Χουσεΐν=Hussain Μαλίκ=Malik",
    },
]

STREETS = """
Ελευθερίου Βενιζέλου|28ης Οκτωβρίου|Αγίου Δημητρίου|Μεγάλου Αλεξάνδρου|Παύλου Μελά|
Εθνικής Αντιστάσεως|Κολοκοτρώνη|Αριστοτέλους|Ερμού|Μητροπόλεως|Καραϊσκάκη|
Κωνσταντινουπόλεως|Ειρήνης|Ηρώων Πολυτεχνείου|Σμύρνης|Ιωνίας|Πλαστήρα|Κύπρου|Αθηνών|
Θεσσαλονίκης|Δημοκρατίας|Ελευθερίας|Γρηγορίου Λαμπράκη|Τσιμισκή|Αγίας Σοφίας|Παλαιολόγου|
Φιλικής Εταιρείας|Καποδιστρίου|Μακεδονίας|Ηπείρου|Κρήτης|Αγίου Νικολάου|Αγίου Γεωργίου|
Αγίας Παρασκευής|Ανεξαρτησίας|Μάρκου Μπότσαρη|Ανδρέα Παπανδρέου|Ομήρου|Σωκράτους|Πλάτωνος|
Περικλέους|Θεμιστοκλέους|Κανάρη|Μιαούλη|Μπουμπουλίνας|Ρήγα Φεραίου|Αδαμαντίου Κοραή|
Διονυσίου Σολωμού|Κωστή Παλαμά|Ιπποκράτους|Πινδάρου|Αιόλου|Νικηφόρου Φωκά|Ολύμπου|
Βασιλίσσης Όλγας|Λεωφόρος Δημοκρατίας|Ναυαρίνου|Αγίας Τριάδος|Πατρών|Λαρίσης|Ξάνθου|
Ευαγγελιστρίας|Κομνηνών|Ιουστινιανού|Σαλαμίνος|Μαραθώνος|Ακροπόλεως|Ταξιαρχών
"""

# Municipalities for synthetic centres beyond the centres already there: real ones,
# by region and regional unit ("region code|Region name" lines, then "Unit: A, B, ...").
MUNICIPALITIES = """
attiki|Περιφέρεια Αττικής|Region of Attica
Κεντρικός Τομέας Αθηνών: Αθήνα, Βύρωνας, Γαλάτσι, Δάφνη-Υμηττός, Ζωγράφου, Ηλιούπολη,
    Καισαριανή, Φιλαδέλφεια-Χαλκηδόνα
Βόρειος Τομέας Αθηνών: Αμαρούσιο, Αγία Παρασκευή, Βριλήσσια, Ηράκλειο Αττικής, Κηφισιά,
    Λυκόβρυση-Πεύκη, Μεταμόρφωση, Νέα Ιωνία, Παπάγου-Χολαργός, Πεντέλη, Φιλοθέη-Ψυχικό,
    Χαλάνδρι
Δυτικός Τομέας Αθηνών: Περιστέρι, Αγία Βαρβάρα, Άγιοι Ανάργυροι-Καματερό, Αιγάλεω, Ίλιον,
    Πετρούπολη, Χαϊδάρι
Νότιος Τομέας Αθηνών: Καλλιθέα, Άγιος Δημήτριος, Άλιμος, Γλυφάδα, Ελληνικό-Αργυρούπολη,
    Μοσχάτο-Ταύρος, Νέα Σμύρνη, Παλαιό Φάληρο
Ανατολική Αττική: Αχαρνές, Βάρη-Βούλα-Βουλιαγμένη, Διόνυσος, Κρωπία, Λαυρεωτική, Μαραθώνας,
    Μαρκόπουλο Μεσογαίας, Παιανία, Παλλήνη, Ραφήνα-Πικέρμι, Σαρωνικός, Σπάτα-Αρτέμιδα, Ωρωπός
Δυτική Αττική: Ασπρόπυργος, Ελευσίνα, Μάνδρα-Ειδυλλία, Μέγαρα, Φυλή
Πειραιάς: Πειραιάς, Κερατσίνι-Δραπετσώνα, Κορυδαλλός, Νίκαια-Άγιος Ιωάννης Ρέντης, Πέραμα
Νήσοι: Σαλαμίνα, Αίγινα
kentriki-makedonia|Περιφέρεια Κεντρικής Μακεδονίας|Region of Central Macedonia
Θεσσαλονίκη: Θεσσαλονίκη, Καλαμαριά, Παύλος Μελάς, Νεάπολη-Συκεές, Κορδελιό-Εύοσμος,
    Αμπελόκηποι-Μενεμένη, Δέλτα, Θερμαϊκός, Θέρμη, Πυλαία-Χορτιάτης, Ωραιόκαστρο, Λαγκαδάς,
    Βόλβη, Χαλκηδόνα
Ημαθία: Βέροια, Νάουσα, Αλεξάνδρεια
Πέλλα: Έδεσσα, Γιαννιτσά, Σκύδρα, Αλμωπία
Πιερία: Κατερίνη, Δίον-Όλυμπος, Πύδνα-Κολινδρός
Σέρρες: Σέρρες, Ηράκλεια, Νέα Ζίχνη, Αμφίπολη, Βισαλτία, Εμμανουήλ Παππάς, Σιντική
Κιλκίς: Κιλκίς, Παιονία
Χαλκιδική: Πολύγυρος, Κασσάνδρα, Νέα Προποντίδα, Σιθωνία, Αριστοτέλης
anatoliki-makedonia-thraki|Περιφέρεια Ανατολικής Μακεδονίας και Θράκης|
    |Region of Eastern Macedonia and Thrace
Καβάλα: Καβάλα, Νέστος, Παγγαίο, Θάσος
Δράμα: Δράμα, Δοξάτο, Προσοτσάνη, Κάτω Νευροκόπι, Παρανέστι
Ξάνθη: Ξάνθη, Άβδηρα, Μύκη, Τόπειρος
Ροδόπη: Κομοτηνή, Ίασμος, Μαρώνεια-Σάπες, Αρριανά
Έβρος: Αλεξανδρούπολη, Διδυμότειχο, Ορεστιάδα, Σουφλί, Σαμοθράκη
ipeiros|Περιφέρεια Ηπείρου|Region of Epirus
Ιωάννινα: Ιωάννινα, Ζίτσα, Δωδώνη, Κόνιτσα, Μέτσοβο, Βόρεια Τζουμέρκα, Πωγώνι, Ζαγόρι
Άρτα: Άρτα, Νικόλαος Σκουφάς, Γεώργιος Καραϊσκάκης, Κεντρικά Τζουμέρκα
Πρέβεζα: Πρέβεζα, Πάργα, Ζηρός
Θεσπρωτία: Ηγουμενίτσα, Φιλιάτες, Σούλι
thessalia|Περιφέρεια Θεσσαλίας|Region of Thessaly
Λάρισα: Λάρισα, Τύρναβος, Ελασσόνα, Αγιά, Φάρσαλα, Κιλελέρ, Τέμπη
Μαγνησία: Βόλος, Ρήγας Φεραίος, Ζαγορά-Μουρέσι, Νότιο Πήλιο
Τρίκαλα: Τρίκαλα, Καλαμπάκα, Πύλη, Φαρκαδόνα
Καρδίτσα: Καρδίτσα, Μουζάκι, Παλαμάς, Σοφάδες, Λίμνη Πλαστήρα, Αργιθέα
Σποράδες: Σκιάθος, Σκόπελος
ionia-nisia|Περιφέρεια Ιονίων Νήσων|Region of the Ionian Islands
Κέρκυρα: Κεντρική Κέρκυρα, Βόρεια Κέρκυρα, Νότια Κέρκυρα
Ζάκυνθος: Ζάκυνθος
Κεφαλληνία: Αργοστόλι, Σάμη, Ληξούρι
Λευκάδα: Λευκάδα
dytiki-ellada|Περιφέρεια Δυτικής Ελλάδας|Region of Western Greece
Αχαΐα: Πάτρα, Αίγιο, Δυτική Αχαΐα, Καλάβρυτα, Ερύμανθος
Ηλεία: Πύργος, Αμαλιάδα, Ήλιδα, Πηνειός, Ανδραβίδα-Κυλλήνη, Ανδρίτσαινα-Κρέστενα,
    Αρχαία Ολυμπία, Ζαχάρω
Αιτωλοακαρνανία: Αγρίνιο, Μεσολόγγι, Ναύπακτος, Άκτιο-Βόνιτσα, Αμφιλοχία, Ξηρόμερο, Θέρμο
sterea-ellada|Περιφέρεια Στερεάς Ελλάδας|Region of Central Greece
Φθιώτιδα: Λαμία, Στυλίδα, Μακρακώμη, Αμφίκλεια-Ελάτεια, Λοκροί, Μώλος-Άγιος Κωνσταντίνος,
    Δομοκός
Βοιωτία: Θήβα, Λεβαδειά, Τανάγρα, Ορχομενός, Αλίαρτος-Θεσπιές, Δίστομο-Αράχωβα-Αντίκυρα
Εύβοια: Χαλκίδα, Ερέτρια, Διρφύες-Μεσσάπια, Ιστιαία-Αιδηψός, Μαντούδι-Λίμνη-Αγία Άννα,
    Κάρυστος, Κύμη-Αλιβέρι
Ευρυτανία: Καρπενήσι, Αγράφα
Φωκίδα: Δελφοί, Δωρίδα
peloponnisos|Περιφέρεια Πελοποννήσου|Region of the Peloponnese
Αργολίδα: Άργος-Μυκήνες, Ναύπλιο, Ερμιονίδα, Επίδαυρος
Αρκαδία: Τρίπολη, Μεγαλόπολη, Βόρεια Κυνουρία, Νότια Κυνουρία, Γορτυνία
Κορινθία: Κόρινθος, Λουτράκι-Περαχώρα-Άγιοι Θεόδωροι, Ξυλόκαστρο-Ευρωστίνη, Βέλο-Βόχα,
    Σικυώνιοι, Νεμέα
Λακωνία: Σπάρτη, Ανατολική Μάνη, Μονεμβασιά, Ευρώτας
Μεσσηνία: Καλαμάτα, Μεσσήνη, Τριφυλία, Πύλος-Νέστορας, Οιχαλία, Δυτική Μάνη
voreio-aigaio|Περιφέρεια Βορείου Αιγαίου|Region of the North Aegean
Λέσβος: Μυτιλήνη, Δυτική Λέσβος
Χίος: Χίος
Σάμος: Ανατολική Σάμος, Δυτική Σάμος
Ικαρία: Ικαρία
Λήμνος: Λήμνος
notio-aigaio|Περιφέρεια Νοτίου Αιγαίου|Region of the South Aegean
Ρόδος: Ρόδος
Κως: Κως
Σύρος: Σύρος-Ερμούπολη
Νάξος: Νάξος
Κάλυμνος: Κάλυμνος
Πάρος: Πάρος
Θήρα: Θήρα
Άνδρος: Άνδρος
Τήνος: Τήνος
Κάρπαθος: Κάρπαθος
Λέρος: Λέρος
Μήλος: Μήλος
kriti|Περιφέρεια Κρήτης|Region of Crete
Ηράκλειο: Ηράκλειο, Χερσόνησος, Μαλεβίζι, Φαιστός, Γόρτυνα, Μινώα Πεδιάδας, Αρχάνες-Αστερούσια,
    Βιάννος
Χανιά: Χανιά, Πλατανιάς, Κίσσαμος, Αποκόρωνας, Καντάνος-Σέλινο, Σφακιά
Ρέθυμνο: Ρέθυμνο, Μυλοπόταμος, Αμάρι, Άγιος Βασίλειος, Ανώγεια
Λασίθι: Άγιος Νικόλαος, Ιεράπετρα, Σητεία, Οροπέδιο Λασιθίου
"""
# Relative size of the biggest municipalities (persons per centre scale with it).
BIG_MUNICIPALITIES = {
    "Αθήνα": 6.0, "Θεσσαλονίκη": 5.0, "Πειραιάς": 3.0, "Πάτρα": 3.0, "Ηράκλειο": 3.0,
    "Περιστέρι": 2.5, "Λάρισα": 2.5, "Καλλιθέα": 2.0, "Βόλος": 2.0, "Αχαρνές": 2.0,
    "Καλαμαριά": 1.8, "Νίκαια-Άγιος Ιωάννης Ρέντης": 1.8, "Ιωάννινα": 1.8, "Χανιά": 1.6,
    "Ρόδος": 1.6, "Αγρίνιο": 1.5, "Γλυφάδα": 1.5, "Κομοτηνή": 1.5, "Αλεξανδρούπολη": 1.5,
    "Σέρρες": 1.4, "Κατερίνη": 1.4, "Χαλκίδα": 1.4, "Καλαμάτα": 1.4, "Λαμία": 1.4,
    "Τρίκαλα": 1.4, "Καβάλα": 1.4, "Ξάνθη": 1.3, "Βέροια": 1.3, "Ηλιούπολη": 1.3,
}  # fmt: skip
# Postal codes and telephone area codes of the reference network (places.md).
POSTAL_CODES = {
    "grevena": "51100", "deskati": "51200", "kastoria": "52100", "nestorio": "52051",
    "argos-orestiko": "52200", "kozani": "50100", "eordaia": "50200",
    "servia-velventos": "50500", "voio": "50300", "florina": "53100", "prespes": "53077",
    "amyntaio": "53200", "almyros": "37100",
}  # fmt: skip
AREA_CODES = {
    "grevena": "24620", "deskati": "24650", "kastoria": "24670", "nestorio": "24670",
    "argos-orestiko": "24670", "kozani": "24610", "eordaia": "24630",
    "servia-velventos": "24640", "voio": "24650", "florina": "23850", "prespes": "23850",
    "amyntaio": "23860", "almyros": "24220",
}  # fmt: skip

# Contacts: channels by kind of site, services given (catalogue codes of migration
# reception 0002) with what people typically ask, minutes by channel.
CHANNELS_BY_SITE = {
    "main": {"in_person": 58, "phone": 27, "email": 6, "home_visit": 5, "outreach": 4},
    "antenna": {"antenna": 70, "phone": 20, "home_visit": 10},
    "branch": {"in_person": 60, "outreach": 25, "phone": 10, "home_visit": 5},
}
_INFO_REQUESTS = (
    "Πληροφορίες για το Ελάχιστο Εγγυημένο Εισόδημα",
    "Πληροφορίες για το επίδομα στέγασης",
    "Πληροφορίες για το επίδομα παιδιού",
    "Ερώτηση για το Κοινωνικό Οικιακό Τιμολόγιο",
    "Πληροφορίες για το επίδομα θέρμανσης",
    "Πληροφορίες για προγράμματα απασχόλησης",
    "Πληροφορίες για το επίδομα αναπηρίας",
)
_APPLICATION_REQUESTS = (
    "Αίτηση για το Ελάχιστο Εγγυημένο Εισόδημα",
    "Επανυποβολή αίτησης επιδόματος παιδιού",
    "Αίτηση επιδόματος στέγασης",
    "Βοήθεια με τους κωδικούς Taxisnet",
    "Έκδοση ΑΜΚΑ",
    "Αίτηση για κοινωνικό τιμολόγιο ρεύματος",
    "Αίτηση για σχολικά γεύματα",
)
_COUNSELLING_REQUESTS = (
    "Ψυχοκοινωνική υποστήριξη",
    "Συμβουλευτική οικογένειας",
    "Άγχος μετά την απώλεια εργασίας",
    "Δυσκολίες με τη φροντίδα ηλικιωμένου γονέα",
)
_REFERRAL_REQUESTS = (
    "Παραπομπή στο Κέντρο Ψυχικής Υγείας",
    "Παραπομπή στη ΔΥΠΑ για θέσεις εργασίας",
    "Παραπομπή στο Κοινωνικό Παντοπωλείο",
    "Παραπομπή στο Βοήθεια στο Σπίτι",
)
_AID_REQUESTS = ("Παραλαβή τροφίμων", "Διανομή ειδών υγιεινής", "Σχολικά είδη για τα παιδιά")
_HOME_REQUESTS = (
    "Κατ' οίκον επίσκεψη σε ηλικιωμένο που ζει μόνος",
    "Κοινωνική έρευνα για επίδομα",
    "Επίσκεψη σε οικογένεια με παιδιά σε κίνδυνο",
)
SERVICE_COMBOS = {  # channel → [(service codes, weight, requests)]
    "in_person": [
        (("information",), 20, _INFO_REQUESTS),
        (("application-help",), 22, _APPLICATION_REQUESTS),
        (("application-help", "information"), 8, _APPLICATION_REQUESTS),
        (("reception", "information"), 6, _INFO_REQUESTS),
        (("needs-assessment",), 6, ("Διερεύνηση αναγκών νοικοκυριού",)),
        (("counselling",), 8, _COUNSELLING_REQUESTS),
        (("needs-assessment", "counselling"), 4, _COUNSELLING_REQUESTS),
        (("referral",), 6, _REFERRAL_REQUESTS),
        (("referral", "information"), 3, _REFERRAL_REQUESTS),
        (("aid-distribution",), 10, _AID_REQUESTS),
        (("groups-at-risk",), 2, ("Εγγραφή των παιδιών στο σχολείο",)),
    ],
    "phone": [
        (("information",), 50, _INFO_REQUESTS),
        (("application-help",), 15, _APPLICATION_REQUESTS),
        (("counselling",), 10, _COUNSELLING_REQUESTS),
        (("referral",), 10, _REFERRAL_REQUESTS),
        (("referral-received",), 5, ("Παραπομπή από το Κέντρο Υγείας",)),
    ],
    "email": [
        (("information",), 50, _INFO_REQUESTS),
        (("application-help",), 30, _APPLICATION_REQUESTS),
        (("referral-received",), 10, ("Παραπομπή από σχολείο",)),
        (("cooperation",), 10, ("Αποστολή δικαιολογητικών",)),
    ],
    "home_visit": [
        (("social-investigation",), 60, _HOME_REQUESTS),
        (("social-investigation", "counselling"), 20, _HOME_REQUESTS),
        (("aid-distribution",), 10, _AID_REQUESTS),
        (("needs-assessment",), 10, ("Διερεύνηση αναγκών νοικοκυριού",)),
    ],
    "antenna": [
        (("mobile", "information"), 40, _INFO_REQUESTS),
        (("mobile", "application-help"), 40, _APPLICATION_REQUESTS),
        (("mobile",), 20, ("Εξυπηρέτηση στην αντένα",)),
    ],
    "outreach": [
        (("groups-at-risk",), 40, ("Επίσκεψη σε καταυλισμό", "Εγγραφή των παιδιών στο σχολείο")),
        (("community",), 30, ("Ενημερωτική δράση στη γειτονιά",)),
        (("groups-at-risk", "information"), 30, _INFO_REQUESTS),
    ],
}
REGISTRATION_COMBOS = [
    (("reception",), 50, ("Πρώτη επίσκεψη, καταγραφή στοιχείων",)),
    (("reception", "needs-assessment"), 35, ("Πρώτη επίσκεψη, διερεύνηση αναγκών",)),
    (("reception", "information"), 15, ("Ενημέρωση για τις υπηρεσίες του Κέντρου",)),
]
MINUTES = {  # channel → (low, mode, high)
    "in_person": (5, 15, 60),
    "phone": (2, 5, 20),
    "email": (5, 10, 20),
    "home_visit": (30, 60, 120),
    "antenna": (10, 20, 45),
    "outreach": (15, 30, 90),
}
NOTES = (
    "Θα επανέλθει με δικαιολογητικά",
    "Χρειάζεται διερμηνέα",
    "Τηλεφωνική υπενθύμιση την επόμενη εβδομάδα",
    "Ενημερώθηκε για τα δικαιολογητικά",
)
ANONYMOUS_SHARE = 0.02
SECOND_PERSON_SHARE = 0.06
# Office hours: weight of each hour from 08:00 to 15:59 (local time).
HOUR_WEIGHTS = {8: 0.6, 9: 1.0, 10: 1.2, 11: 1.2, 12: 1.0, 13: 0.8, 14: 0.5, 15: 0.3}
WEEKDAY_WEIGHTS = (1.25, 1.15, 1.05, 1.0, 0.8)  # Monday … Friday
MONTH_WEIGHTS = {7: 0.85, 8: 0.55, 12: 0.85}
# Age of the head of household (band start, band end, weight).
HEAD_AGES = [(18, 24, 4), (25, 34, 13), (35, 44, 18), (45, 54, 18), (55, 64, 16),
             (65, 74, 16), (75, 84, 11), (85, 95, 4)]  # fmt: skip
HOUSEHOLD_KINDS = {
    "alone": 28,
    "couple": 18,
    "family": 30,
    "single_parent": 12,
    "three_generations": 5,
    "with_parent": 7,
}
CHILDREN = {1: 40, 2: 38, 3: 15, 4: 5, 5: 2}
ROMA_CHILDREN = {1: 15, 2: 25, 3: 30, 4: 20, 5: 10}
# Tables written, with the columns generated (every other column takes its default).
COLUMNS = {
    "household": ("id", "centre_id", "address", "postal_code", "municipality_id", "created_at"),
    "person": (
        "id", "centre_id", "given_name", "family_name", "given_name_latin",
        "family_name_latin", "father_name", "mother_name", "sex", "birth_date", "citizenship",
        "amka", "afm", "afm_override_reason", "id_document_type", "id_document_number",
        "id_document_unverified", "phone", "phone_digits", "email", "address", "postal_code",
        "residence_municipality_id", "preferred_language", "categories", "household_id",
        "household_relationship", "search_key", "registered_by_id", "registered_at",
        "updated_at", "merged_into_id", "anonymised_at",
    ),
    "consent": (
        "id", "centre_id", "person_id", "purpose", "partner", "given_on", "recorded_by_id",
        "recorded_at", "withdrawn_on", "withdrawn_by_id", "withdrawn_reason", "note",
    ),
    "contact": (
        "id", "centre_id", "site_id", "at", "channel", "staff_id", "is_anonymous", "request",
        "minutes", "note", "created_at",
    ),
    "contact_person": ("id", "centre_id", "contact_id", "person_id"),
    "contact_service": ("id", "contact_id", "service_id"),
}  # fmt: skip
BULK_MIN_ROWS = 20_000  # bulk mode (drop and re-create indexes) from this many rows …
BULK_MIN_RATIO = 0.15  # … when they are at least this share of the rows already there
BATCH = 50_000


class SynthError(ValueError):
    """Bad arguments or a database synth cannot fill; the message says which."""


# ---------------------------------------------------------------------------------------
# Small pure helpers
# ---------------------------------------------------------------------------------------
_LUHN_DOUBLE = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
_AFM_WEIGHTS = (256, 128, 64, 32, 16, 8, 4, 2)
ID_LETTERS = "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"


def luhn_digit(number: str) -> str:
    """The Luhn check digit to append to `number`."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = ord(char) - 48
        total += _LUHN_DOUBLE[digit] if position % 2 == 0 else digit
    return str(-total % 10)


def afm_check_digit(first8: str) -> str:
    total = sum(int(d) * w for d, w in zip(first8, _AFM_WEIGHTS, strict=True))
    return str(total % 11 % 10)


def orthodox_easter(year: int) -> date:
    """Orthodox Easter Sunday (Meeus' Julian algorithm, in the Gregorian calendar)."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month, day = divmod(d + e + 114, 31)
    return date(year, month, day + 1) + timedelta(days=13)


def public_holidays(year: int) -> set[date]:
    easter = orthodox_easter(year)
    fixed = [(1, 1), (1, 6), (3, 25), (5, 1), (8, 15), (10, 28), (12, 25), (12, 26)]
    moving = [-48, -2, 1, 50]  # Clean Monday, Good Friday, Easter Monday, Whit Monday
    return {date(year, m, d) for m, d in fixed} | {easter + timedelta(days=n) for n in moving}


def _words(text: str) -> list[str]:
    return text.split()


def _zipf(count: int, exponent: float = 0.85) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(count)]


def _forms(token: str) -> tuple[str, str]:
    male, _, female = token.partition("/")
    return male, female or male


def _tail_surnames() -> list[tuple[str, str]]:
    stems = list(dict.fromkeys(_words(_OPOULOS_STEMS) + _words(_AKIS_STEMS) + _words(_TAIL_STEMS)))
    vowels = "αεηιουω"
    names = []
    for stem in stems:
        for male, female in _TAIL_ENDINGS:
            if stem[-1] in vowels and male != "όπουλος":
                continue
            names.append((stem + male, stem + female))
    for prefix in _TAIL_PREFIXES:
        for stem in stems:
            if stem[0].lower() in vowels + "ά":
                continue
            for male, female in _TAIL_ENDINGS[::2]:  # -όπουλος and -άκης
                names.append((prefix + stem.lower() + male, prefix + stem.lower() + female))
    random.Random("tail").shuffle(names)  # mix the rare ones; same order every run
    return names


def surname_table() -> list[tuple[str, str, float]]:
    """(male form, female form, share of Greek persons); the shares add up to 1."""
    groups = {
        "papa": [_forms(t) for t in _words(_PAPA)],
        "chatzi": [_forms(t) for t in _words(_CHATZI)],
        "opoulos": [(s + "όπουλος", s + "οπούλου") for s in _words(_OPOULOS_STEMS)],
        "idis": [(s + "ίδης", s + "ίδου") for s in _words(_IDIS_STEMS)]
        + [(s + "άδης", s + "άδου") for s in _words(_ADIS_STEMS)]
        + [("Νικολαΐδης", "Νικολαΐδου")],
        "akis": [(s + "άκης", s + "άκη") for s in _words(_AKIS_STEMS)],
        "genitive": [(t, t) for t in _words(_GENITIVE)],
        "other": [_forms(t) for t in _words(_OTHER)],
        "tail": _tail_surnames(),
    }
    table: dict[tuple[str, str], float] = {}
    for group, names in groups.items():
        weights = _zipf(len(names), 0.3 if group == "tail" else 0.6)
        total = sum(weights)
        for forms, weight in zip(names, weights, strict=True):
            table[forms] = table.get(forms, 0.0) + SURNAME_GROUPS[group] * weight / total
    # Exactly PAPA_SHARE for the Παπα- surnames, wherever they were listed.
    papa = sum(w for (m, _f), w in table.items() if m.startswith("Παπα"))
    rest = 1.0 - papa
    return [
        (m, f, w * (PAPA_SHARE / papa if m.startswith("Παπα") else (1 - PAPA_SHARE) / rest))
        for (m, f), w in table.items()
    ]


def _weighted(text: str) -> list[tuple[str, float]]:
    pairs = []
    for token in _words(text):
        name, _, weight = token.partition(":")
        pairs.append((name, float(weight)))
    return pairs


def _latin_pairs(text: str) -> list[tuple[str, str]]:
    """ "Αλ Χασάν=Al Hassan Χαλάμπι=Halabi" → [("Αλ Χασάν", "Al Hassan"), …]."""
    pairs, greek = [], []
    latin: list[str] = []
    for token in text.split():
        if "=" in token:
            if greek and latin:
                pairs.append((" ".join(greek), " ".join(latin)))
                greek, latin = [], []
            g, _, lat = token.partition("=")
            greek.append(g)
            latin = [lat]
        elif latin and token[:1].isascii():
            latin.append(token)
        else:
            if greek and latin:
                pairs.append((" ".join(greek), " ".join(latin)))
                greek, latin = [], []
            greek.append(token)
    if greek and latin:
        pairs.append((" ".join(greek), " ".join(latin)))
    return pairs


class Pick:
    """Weighted choice with precomputed cumulative weights: `pick(rand)`."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs):
        pairs = [(item, weight) for item, weight in pairs if weight > 0]
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def __call__(self, rand):
        return self.items[bisect_right(self.cum, rand() * self.total)]

    def table(self, size: int = 1000) -> list:
        """`size` items in proportion to their weights, for an O(1) pick in hot loops."""
        step = self.total / size
        return [self.items[bisect_right(self.cum, (k + 0.5) * step)] for k in range(size)]


def latin_name(greek: str) -> str:
    """ELOT 743, each part of a hyphenated name capitalised."""
    return "-".join(elot743(part) for part in greek.split("-"))


def parse_municipalities() -> list[dict]:
    """The MUNICIPALITIES text as [{region code/name/name_en, unit, municipality}]
    (indented lines continue the line above)."""
    lines: list[str] = []
    for line in MUNICIPALITIES.strip().splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    rows, region = [], None
    for line in lines:
        if "|" in line:
            code, name, name_en = (p.strip() for p in line.split("|") if p.strip())
            region = {"code": code, "name": name, "name_en": name_en}
            continue
        unit, _, names = line.partition(":")
        for name in names.split(","):
            if name.strip():
                rows.append({"region": region, "unit": unit.strip(), "name": name.strip()})
    return rows


def _stable_hash(text: str) -> int:
    value = 2166136261
    for char in text.encode():
        value = ((value ^ char) * 16777619) & 0xFFFFFFFF
    return value


# ---------------------------------------------------------------------------------------
# Calendar: working days and office-hour slots, as timestamp strings
# ---------------------------------------------------------------------------------------
class Calendar:
    """Working days of the last `years` years up to yesterday, weighted by weekday and
    month, and office-hour minutes, as the strings the database takes (UTC)."""

    def __init__(self, *, today: date, years: int, suffix: str):
        start = today - timedelta(days=round(365.25 * years))
        holidays: set[date] = set()
        for year in range(start.year, today.year + 1):
            holidays |= public_holidays(year)
        zone = ZoneInfo(settings.TIME_ZONE)
        days, weights = [], []
        day = start
        while day < today:
            if day.weekday() < 5 and day not in holidays:
                days.append(day)
                weights.append(WEEKDAY_WEIGHTS[day.weekday()] * MONTH_WEIGHTS.get(day.month, 1.0))
            day += timedelta(days=1)
        if not days:
            raise SynthError("No working day in the chosen years.")
        self.days = days
        self.ordinals = [d.toordinal() for d in days]
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]
        self.iso = [d.isoformat() for d in days]
        self.prefix = [d.isoformat() + " " for d in days]
        # Office hours are local; the database stores UTC (the offset is the same all day
        # on a working day: clocks change on Sunday nights).
        offsets = [
            int(datetime(d.year, d.month, d.day, 12, tzinfo=zone).utcoffset().total_seconds()) // 60
            for d in days
        ]
        distinct = sorted(set(offsets))
        self.offset_index = bytes(distinct.index(o) for o in offsets)
        self.slot_minutes = [h * 60 + m for h in sorted(HOUR_WEIGHTS) for m in range(60)]
        self.slot_cum = list(accumulate(HOUR_WEIGHTS[minute // 60] for minute in self.slot_minutes))
        self.slot_text = [
            [
                "{:02d}:{:02d}:{:02d}{}".format(
                    *divmod(minute - offset, 60), (minute * 37) % 60, suffix
                )
                for minute in self.slot_minutes
            ]
            for offset in distinct
        ]

    def at(self, day: int, slot: int) -> str:
        return self.prefix[day] + self.slot_text[self.offset_index[day]][slot]

    def random_day(self, rand, first: int = 0) -> int:
        """A weighted working day from day index `first` on."""
        base = self.cum[first - 1] if first else 0.0
        day = bisect_right(self.cum, base + (self.total - base) * rand())
        return min(max(day, first), len(self.cum) - 1)

    def first_on_or_after(self, ordinal: int) -> int:
        return min(bisect_left(self.ordinals, ordinal), len(self.ordinals) - 1)


# ---------------------------------------------------------------------------------------
# Centres, sites and staff
# ---------------------------------------------------------------------------------------
@dataclass
class CentrePlan:
    centre: Centre
    municipality: Municipality
    main_site: int
    antenna: tuple[int, Municipality] | None
    roma_branch: int | None
    staff: list[int]
    weight: float = 1.0
    persons: int = 0
    contacts: int = 0
    # Filled while persons are generated, read when contacts are.
    first_person: int = 0
    reg_day: array = field(default_factory=lambda: array("H"))
    reg_slot: array = field(default_factory=lambda: array("H"))
    household_start: array = field(default_factory=lambda: array("I"))
    household_size: array = field(default_factory=lambda: array("B"))
    site_class: bytearray = field(default_factory=bytearray)  # 0 main, 1 antenna, 2 branch

    @property
    def site_ids(self) -> tuple[int, int, int]:
        antenna = self.antenna[0] if self.antenna else self.main_site
        return (self.main_site, antenna, self.roma_branch or self.main_site)


def _ensure_centres(count: int, rng: random.Random) -> list[Centre]:
    """The first `count` active centres, creating synthetic ones in real municipalities
    (with their region, regional unit and main office) when there are fewer."""
    existing = list(
        Centre.objects.filter(is_active=True).select_related("municipality").order_by("id")[:count]
    )
    missing = count - len(existing)
    if missing <= 0:
        return existing
    taken = set(Centre.objects.values_list("municipality__code", flat=True))
    taken |= set(Site.objects.values_list("serves_municipality__code", flat=True))
    created: list[Centre] = []
    candidates = parse_municipalities()
    number = 0
    while len(created) < missing:
        if candidates:
            row = candidates.pop(0)
        else:  # more centres than municipalities listed: numbered synthetic ones
            number += 1
            row = {
                "region": {"code": "synthetic", "name": "Συνθετική Περιφέρεια",
                           "name_en": "Synthetic Region"},
                "unit": "Συνθετική Ενότητα",
                "name": f"Συνθετικός Δήμος {number}",
            }  # fmt: skip
        code = slugify(latin_name(row["name"]))
        if code in taken or Centre.objects.filter(code=code).exists():
            continue
        taken.add(code)
        region, _ = Region.objects.get_or_create(
            code=row["region"]["code"],
            defaults={"name": row["region"]["name"], "name_en": row["region"]["name_en"]},
        )
        unit_code = slugify(latin_name(row["unit"]))
        unit, _ = RegionalUnit.objects.get_or_create(
            code=unit_code,
            defaults={"region": region, "name": row["unit"], "name_en": latin_name(row["unit"])},
        )
        municipality, _ = Municipality.objects.get_or_create(
            code=code,
            defaults={
                "regional_unit": unit,
                "name": row["name"],
                "name_en": latin_name(row["name"]),
                "note": "Synthetic data (koinotita synth).",
            },
        )
        centre = Centre.objects.create(
            municipality=municipality,
            code=code,
            name=f"Κέντρο Κοινότητας {row['name']}",
            name_en=f"Community Centre of {latin_name(row['name'])}",
            note="Synthetic data (koinotita synth).",
        )
        Site.objects.create(
            centre=centre,
            kind=Site.Kind.MAIN,
            serves_municipality=municipality,
            code=f"{code}-main",
            name=f"Έδρα Κέντρου Κοινότητας {row['name']}",
            name_en=f"{latin_name(row['name'])} main office",
            address=f"{rng.choice(_street_list())} {rng.randint(1, 80)}",
        )
        created.append(centre)
    return existing + created


def _street_list() -> list[str]:
    return [s.strip() for s in STREETS.replace("\n", "").split("|") if s.strip()]


STAFF_ROLES = (Role.RECEPTION, Role.CASEWORKER, Role.CASEWORKER, Role.CASEWORKER,
               Role.RECEPTION, Role.CASEWORKER, Role.CASEWORKER, Role.CASEWORKER)  # fmt: skip


def _ensure_staff(centres: list[Centre], roma: set[int], seed: int, names) -> dict[int, list]:
    """3 to 8 synthetic staff per centre (reused when a centre has them already)."""
    prefix = "synth."
    existing: dict[str, list[int]] = {}
    for user_id, username in User.objects.filter(username__startswith=prefix).values_list(
        "id", "username"
    ):
        existing.setdefault(username.split(".")[1], []).append(user_id)
    new_users, roles = [], []
    for centre in centres:
        if existing.get(centre.code):
            continue
        rng = random.Random(f"{seed}:staff:{centre.code}")
        count = rng.randint(3, 8)
        for n in range(1, count + 1):
            sex = "M" if rng.random() < 0.3 else "F"
            first = names.given[sex](rng.random)
            last = names.surname(rng.random)[0 if sex == "M" else 1]
            role = STAFF_ROLES[n - 1]
            if n == count and centre.pk in roma:
                role = Role.MEDIATOR
            user = User(
                username=f"{prefix}{centre.code}.{n}",
                first_name=first,
                last_name=last,
                password="!synthetic",  # unusable: synthetic staff cannot log in
                is_active=True,
            )
            new_users.append(user)
            roles.append((user, role, centre))
    User.objects.bulk_create(new_users, batch_size=1000)
    usernames = [u.username for u in new_users]
    created = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user_id=created[user.username], role=role, level=ScopeLevel.CENTRE, centre=centre
            )
            for user, role, centre in roles
        ],
        batch_size=1000,
    )
    for username, user_id in created.items():
        existing.setdefault(username.split(".")[1], []).append(user_id)
    return {centre.pk: sorted(existing[centre.code]) for centre in centres}


# ---------------------------------------------------------------------------------------
# Names and identifiers
# ---------------------------------------------------------------------------------------
class Names:
    """The weighted name tables, built once per run."""

    def __init__(self):
        surnames = surname_table()
        self.surname = Pick(((m, f), w) for m, f, w in surnames)
        self.given = {"M": Pick(_weighted(_MALE)), "F": Pick(_weighted(_FEMALE))}
        roma_surnames = [((s, s), 1.0) for s in _words(_ROMA_SURNAMES)]
        self.roma_surname = Pick(roma_surnames)
        self.roma_given = {"M": Pick(_weighted(_ROMA_MALE)), "F": Pick(_weighted(_ROMA_FEMALE))}
        groups = []
        for group in MIGRANT_GROUPS:
            surnames_ = []
            for greek, latin in _latin_pairs(group["surnames"]):
                gm, gf = _forms(greek)
                lm, lf = _forms(latin)
                surnames_.append(((gm, gf, lm, lf), 1.0))
            groups.append(
                {
                    **group,
                    "_male": Pick((p, 1.0) for p in _latin_pairs(group["male"])),
                    "_female": Pick((p, 1.0) for p in _latin_pairs(group["female"])),
                    "_surname": Pick(surnames_),
                }
            )
        self.migrant_group = Pick((g, g["weight"]) for g in groups)
        self.latin: dict[str, str] = {}

    def elot(self, name: str) -> str:
        latin = self.latin.get(name)
        if latin is None:
            latin = self.latin[name] = latin_name(name)
        return latin


# Luhn sums of the AMKA's serial digits (positions 3, 2, 1 from the right of the first ten
# digits) and of its sex digit (position 0, doubled).
_SERIAL_SUM = [
    (s // 100) + _LUHN_DOUBLE[s // 10 % 10] + (s % 10) for s in range(1000)
]  # fmt: skip
_PARITY_SUM = [_LUHN_DOUBLE[d] for d in range(10)]


def _date_sum(ddmmyy: str) -> int:
    """Luhn sum of the six date digits (positions 9 … 4 from the right of ten digits)."""
    total = 0
    for position, char in zip(range(9, 3, -1), ddmmyy, strict=True):
        digit = ord(char) - 48
        total += _LUHN_DOUBLE[digit] if position % 2 == 0 else digit
    return total


class Identifiers:
    """Unique AMKA, AFM and document numbers, avoiding those already in the database."""

    def __init__(self, *, used_amka=(), used_afm=(), used_documents=(), start: int = 0):
        self.used_amka, self.used_afm = set(used_amka), set(used_afm)
        self.used_documents = set(used_documents)
        self.amka_count: dict[str, int] = {}
        self.date_sums: dict[str, int] = {}
        self.afm_k = self.id2_k = self.id1_k = self.doc_k = start

    def amka(self, ddmmyy: str, male: bool) -> str:
        key = ddmmyy + ("1" if male else "0")
        k = self.amka_count.get(key, 0)
        spread = int(ddmmyy) % 1000
        parity = (1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8)
        date_sum = self.date_sums.get(ddmmyy)
        if date_sum is None:
            date_sum = self.date_sums[ddmmyy] = _date_sum(ddmmyy)
        while k < 5000:
            serial = (k * 379 + spread) % 1000
            digit = parity[(k // 1000 + spread) % 5]
            k += 1
            check = -(date_sum + _SERIAL_SUM[serial] + _PARITY_SUM[digit]) % 10
            amka = f"{ddmmyy}{serial:03d}{digit}{check}"
            if amka not in self.used_amka:
                self.amka_count[key] = k
                self.used_amka.add(amka)
                return amka
        self.amka_count[key] = k
        return ""

    def afm(self) -> str:
        while True:
            self.afm_k += 1
            first8 = f"{(self.afm_k * 7_654_321 + 1_234_567) % 20_000_000:08d}"
            afm = first8 + afm_check_digit(first8)
            if afm != "000000000" and afm not in self.used_afm:
                self.used_afm.add(afm)
                return afm

    def police_id(self, old: bool) -> str:
        while True:
            if old:
                self.id1_k += 1
                x = (self.id1_k * 7_654_321 + 4_321) % 14_000_000
                number = ID_LETTERS[x // 1_000_000] + f"{x % 1_000_000:06d}"
            else:
                self.id2_k += 1
                x = (self.id2_k * 48_271_379 + 777_777) % 196_000_000
                pair = x // 1_000_000
                number = ID_LETTERS[pair // 14] + ID_LETTERS[pair % 14] + f"{x % 1_000_000:06d}"
            if number not in self.used_documents:
                self.used_documents.add(number)
                return number

    def foreign_document(self, kind: str) -> str:
        while True:
            self.doc_k += 1
            x = (self.doc_k * 15_485_863 + 99_991) % 6_760_000_000
            if kind == "paaypa":
                number = f"9{x % 10_000_000_000:010d}"
            else:
                letters, digits = divmod(x, 10_000_000)
                number = chr(65 + letters // 26 % 26) + chr(65 + letters % 26) + f"{digits:07d}"
            if number not in self.used_documents:
                self.used_documents.add(number)
                return number


# ---------------------------------------------------------------------------------------
# Persons and households
# ---------------------------------------------------------------------------------------
@dataclass
class Member:
    relationship: str
    sex: str
    age: int
    given: str
    family: str
    father: str = ""
    mother: str = ""
    given_latin: str = ""
    family_latin: str = ""


class PersonMaker:
    """Households and their members for one centre, as database rows."""

    def __init__(self, *, names: Names, ids: Identifiers, calendar: Calendar, today: date):
        self.names, self.ids, self.calendar = names, ids, calendar
        self.today_ordinal = today.toordinal()
        streets = _street_list()
        self.streets = Pick(zip(streets, _zipf(len(streets), 0.5), strict=True))
        self.kinds = Pick(HOUSEHOLD_KINDS.items())
        self.children = Pick(CHILDREN.items())
        self.roma_children = Pick(ROMA_CHILDREN.items())
        self.head_band = Pick(((lo, hi), w) for lo, hi, w in HEAD_AGES)
        self.dates: dict[int, tuple[str, str]] = {}
        self.phonetic: dict[str, str] = {}
        self.fast_keys = self._fast_keys_agree()
        self.categories: dict[tuple, str] = {}

    # --- names --------------------------------------------------------------------
    def _greek(self, rand, sex: str, roma: bool) -> str:
        if roma and rand() < 0.4:
            return self.names.roma_given[sex](rand)
        return self.names.given[sex](rand)

    def _surname(self, rand, roma: bool) -> tuple[str, str]:
        if roma and rand() < 0.5:
            return self.names.roma_surname(rand)
        return self.names.surname(rand)

    def _age(self, rand, lo: int = 18, hi: int = 95) -> int:
        for _ in range(20):
            band_lo, band_hi = self.head_band(rand)
            age = band_lo + int(rand() * (band_hi - band_lo + 1))
            if lo <= age <= hi:
                return age
        return lo + int(rand() * (hi - lo + 1))

    def household(self, rand, *, roma: bool, migrant: dict | None) -> list[Member]:
        """The members of one household, head first."""
        kind = self.kinds(rand)
        if migrant is not None:
            return self._migrant_household(rand, kind, migrant)
        surname = self._surname(rand, roma)
        head_sex = "F" if kind == "single_parent" and rand() < 0.85 else "M"
        if kind == "alone":
            head_sex = "M" if rand() < 0.45 else "F"
        lo, hi = {"family": (22, 60), "single_parent": (20, 58), "three_generations": (30, 60),
                  "with_parent": (35, 65), "couple": (22, 95)}.get(kind, (18, 95))  # fmt: skip
        head_age = self._age(rand, lo, hi)
        head = Member(
            "head",
            head_sex,
            head_age,
            self._greek(rand, head_sex, roma),
            surname[0 if head_sex == "M" else 1],
            self._greek(rand, "M", roma),
            self._greek(rand, "F", roma),
        )
        members = [head]
        partner = None
        if kind in ("couple", "family", "three_generations"):
            partner_sex = "F" if head_sex == "M" else "M"
            if partner_sex == "F":
                family = surname[1] if rand() < 0.7 else self._surname(rand, roma)[1]
            else:
                family = self._surname(rand, roma)[0]
            age = max(18, min(95, head_age + int(rand() * 9) - (6 if partner_sex == "F" else 2)))
            partner = Member(
                "partner",
                partner_sex,
                age,
                self._greek(rand, partner_sex, roma),
                family,
                self._greek(rand, "M", roma),
                self._greek(rand, "F", roma),
            )
            members.append(partner)
        if kind in ("family", "single_parent", "three_generations"):
            father = head if head.sex == "M" else partner
            mother = head if head.sex == "F" else partner
            child_surname = surname
            if father is None and rand() < 0.6:  # a single mother's children: their father's
                child_surname = self._surname(rand, roma)
            youngest_parent = min(m.age for m in members)
            count = (self.roma_children if roma else self.children)(rand)
            first_son = first_daughter = True
            for _ in range(count):
                age = youngest_parent - 18 - int(rand() * 22)
                if age < 0:
                    age = int(rand() * max(1, youngest_parent - 17))
                sex = "M" if rand() < 0.51 else "F"
                given = self._greek(rand, sex, roma)
                # A first son is often named after his paternal grandfather, a first
                # daughter after her paternal grandmother.
                if father is not None and sex == "M" and first_son and rand() < 0.5:
                    given = father.father or given
                if father is not None and sex == "F" and first_daughter and rand() < 0.4:
                    given = father.mother or given
                first_son &= sex != "M"
                first_daughter &= sex != "F"
                members.append(
                    Member(
                        "child",
                        sex,
                        min(age, 40),
                        given,
                        child_surname[0 if sex == "M" else 1],
                        father.given if father is not None else self._greek(rand, "M", roma),
                        mother.given if mother is not None else self._greek(rand, "F", roma),
                    )
                )
        if kind in ("three_generations", "with_parent"):
            sex = "F" if rand() < 0.65 else "M"
            age = min(95, head_age + 20 + int(rand() * 16))
            members.append(
                Member(
                    "parent",
                    sex,
                    age,
                    head.father if sex == "M" else head.mother,
                    surname[0 if sex == "M" else 1],
                    self._greek(rand, "M", roma),
                    self._greek(rand, "F", roma),
                )
            )
        return members

    def _migrant_household(self, rand, kind: str, group: dict) -> list[Member]:
        surname = group["_surname"](rand)

        def given(sex):
            return (group["_male"] if sex == "M" else group["_female"])(rand)

        def member(relationship, sex, age, father=None, mother=None):
            g_given = given(sex)
            return Member(
                relationship,
                sex,
                age,
                g_given[0],
                surname[0 if sex == "M" else 1],
                father[0] if father else given("M")[0],
                mother[0] if mother else given("F")[0],
                g_given[1],
                surname[2 if sex == "M" else 3],
            )

        head_sex = "M" if kind != "single_parent" or rand() < 0.2 else "F"
        head_age = 18 + int(rand() * 42)
        head = member("head", head_sex, head_age)
        members = [head]
        if kind in ("couple", "family", "three_generations"):
            partner_sex = "F" if head_sex == "M" else "M"
            members.append(member("partner", partner_sex, max(18, head_age - int(rand() * 6))))
        if kind in ("family", "single_parent", "three_generations"):
            youngest = min(m.age for m in members)
            father = next(((m.given, m.given_latin) for m in members if m.sex == "M"), None)
            mother = next(((m.given, m.given_latin) for m in members if m.sex == "F"), None)
            for _ in range(self.children(rand)):
                age = max(0, min(youngest - 18, int(rand() * 17)))
                members.append(member("child", "M" if rand() < 0.51 else "F", age, father, mother))
        return members

    # --- rows -----------------------------------------------------------------------
    def _date(self, ordinal: int) -> tuple[str, str]:
        found = self.dates.get(ordinal)
        if found is None:
            d = date.fromordinal(ordinal)
            ddmmyy = f"{d.day:02d}{d.month:02d}{d.year % 100:02d}"
            found = self.dates[ordinal] = (d.isoformat(), ddmmyy)
        return found

    def _phonetic(self, name: str) -> str:
        found = self.phonetic.get(name)
        if found is None:
            found = self.phonetic[name] = phonetic(name)
        return found

    def search_key(self, family: str, given: str, family_latin: str, given_latin: str) -> str:
        """`person_search_key` from the phonetic form of each name, computed once per name
        (the phonetic form of "A B" is that of A, a space, and that of B)."""
        if not self.fast_keys:
            return person_search_key(
                Person(
                    family_name=family,
                    given_name=given,
                    family_name_latin=family_latin,
                    given_name_latin=given_latin,
                )
            )
        ph = self._phonetic
        greek = " ".join(filter(None, (ph(family), ph(given))))
        latin = " ".join(filter(None, (ph(family_latin), ph(given_latin))))
        return greek if latin in ("", greek) else f"{greek} {latin}"

    def _fast_keys_agree(self) -> bool:
        """True when the per-name shortcut gives what person_search_key gives; if the
        search key ever depends on more than the four names, synth calls it instead."""
        self.fast_keys = True
        samples = [
            ("Παπαδόπουλος", "Γεώργιος", "", "", "Ιωάννης"),
            ("Αλ Χασάν", "Αΐσα", "Al Hassan", "Aisha", "Ομάρ"),
            ("Κοντογιάννη-Μαυρίδου", "Ευαγγελία", "", "", ""),
            ("Ιβάνοβα", "Ελένα", "Ivanova", "Elena", "Ιβάν"),
        ]
        for family, given, family_latin, given_latin, father in samples:
            family_latin = family_latin or latin_name(family)
            given_latin = given_latin or latin_name(given)
            person = Person(
                family_name=family,
                given_name=given,
                family_name_latin=family_latin,
                given_name_latin=given_latin,
                father_name=father,
                mother_name="Μαρία",
            )
            if self.search_key(family, given, family_latin, given_latin) != person_search_key(
                person
            ):
                return False
        return True

    def categories_json(self, codes: tuple) -> str:
        found = self.categories.get(codes)
        if found is None:
            found = self.categories[codes] = json.dumps(list(codes), ensure_ascii=False)
        return found

    def rows_for_household(self, rand, *, members, person_id, household_id, centre_id,
                           municipality_id, postal_code, area_code, staff, reg_day,
                           reg_slot, roma, migrant, flags):  # fmt: skip
        """Person tuples (COLUMNS["person"]) and consent tuples (without ids) of a household."""
        address = f"{self.streets(rand)} {1 + int(rand() ** 2 * 150)}"
        width = 10 - len(area_code)
        landline = f"{area_code}{int(rand() * 10**width):0{width}d}"
        has_landline = rand() < 0.45
        registered_at = self.calendar.at(reg_day, reg_slot)
        citizenship = migrant["citizenship"] if migrant else "GR"
        persons, consents, reg_days = [], [], []
        for offset, m in enumerate(members):
            pid = person_id + offset
            male = m.sex == "M"
            birth = self.today_ordinal - int((m.age + rand()) * 365.2425)
            birth = min(birth, self.calendar.ordinals[-1] - 1)
            birth_iso, ddmmyy = self._date(birth)
            # A baby born after the household registered is registered later.
            day = reg_day
            if birth > self.calendar.ordinals[day]:
                day = self.calendar.first_on_or_after(birth + 1)
            reg_days.append(day)
            at = registered_at if day == reg_day else self.calendar.at(day, reg_slot)
            adult = m.age >= 18
            if migrant:
                has_amka = rand() < 0.6
                has_afm = adult and rand() < 0.5
            else:
                has_amka = rand() < (0.85 if roma else 0.98)
                has_afm = adult and rand() < (0.7 if roma else 0.92)
            amka = self.ids.amka(ddmmyy, male) if has_amka else ""
            afm = self.ids.afm() if has_afm else ""
            doc_type = doc = ""
            if migrant:
                r = rand()
                if not has_amka and r < 0.5:
                    doc_type, doc = "paaypa", self.ids.foreign_document("paaypa")
                elif adult and r < 0.8:
                    doc_type = "residence" if migrant["citizenship"] == "AL" else "passport"
                    doc = self.ids.foreign_document("passport")
            elif (adult and rand() < 0.8) or (m.age >= 12 and rand() < 0.4):
                doc_type = "police_id"
                doc = self.ids.police_id(old=m.age >= 45 and rand() < 0.3)
            phone = ""
            if m.age >= 14 and rand() < (0.9 if m.age < 65 else 0.55):
                digits = f"69{int(rand() * 100_000_000):08d}"
                phone = digits if rand() < 0.7 else f"{digits[:3]} {digits[3:6]} {digits[6:]}"
            elif adult and has_landline:
                phone = landline
            phone_digits = phone.replace(" ", "")
            given_latin = m.given_latin or self.names.elot(m.given)
            family_latin = m.family_latin or self.names.elot(m.family)
            email = ""
            if phone and 16 <= m.age < 65 and rand() < 0.18:
                local = f"{given_latin}.{family_latin}".lower().replace(" ", "")
                email = f"{local}{pid % 1000}@example.{'com' if pid % 3 else 'org'}"
            codes = []
            if adult and flags["programme"]:
                codes.append(Category.SOCIAL_PROGRAMME.value)
            if adult and flags["min_income"]:
                codes.append(Category.MINIMUM_INCOME.value)
            if flags["poverty"]:
                codes.append(Category.POVERTY.value)
            if 18 <= m.age <= 66 and rand() < 0.22:
                codes.append(Category.UNEMPLOYED.value)
            if rand() < 0.07:
                codes.append(Category.DISABILITY.value)
            if m.age < 18 and rand() < 0.05:
                codes.append(Category.CHILD_AT_RISK.value)
            if flags["basic_needs"]:
                codes.append(Category.BASIC_NEEDS.value)
            if roma:
                codes.append(Category.ROMA.value)
            if migrant:
                codes.append(Category.MIGRANT.value)
            if not codes and rand() < 0.5:
                vulnerable = rand() < 0.6
                codes.append((Category.VULNERABLE_GROUP if vulnerable else Category.CRISIS).value)
            if migrant:
                language = migrant["languages"][0] if rand() < 0.6 else "el"
            else:
                language = "rom" if roma and rand() < 0.3 else "el"
            recorded_by = staff[int(rand() * len(staff))]
            persons.append(
                (
                    pid, centre_id, m.given, m.family, given_latin, family_latin, m.father,
                    m.mother, m.sex, birth_iso, citizenship, amka, afm, "", doc_type, doc,
                    False, phone, phone_digits, email, address, postal_code, municipality_id,
                    language, self.categories_json(tuple(codes)), household_id,
                    m.relationship,
                    self.search_key(m.family, m.given, family_latin, given_latin),
                    recorded_by, at, at, None, None,
                )
            )  # fmt: skip
            consents.append(
                (centre_id, pid, "registration", "", self.calendar.iso[day], recorded_by, at,
                 None, None, "", "")
            )  # fmt: skip
            if phone.startswith("69") and rand() < 0.1:
                consents.append(
                    (centre_id, pid, "sms", "", self.calendar.iso[day], recorded_by, at,
                     None, None, "", "")
                )  # fmt: skip
        return persons, consents, address, reg_days


# ---------------------------------------------------------------------------------------
# Writing rows: COPY on PostgreSQL, executemany on SQLite
# ---------------------------------------------------------------------------------------
class Table:
    """A table written by synth: its generated columns and the defaults of the others."""

    def __init__(self, model, columns: tuple[str, ...]):
        self.model = model
        self.name = model._meta.db_table
        concrete = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in concrete]
        if unknown:
            raise SynthError(f"{self.name} has no column {', '.join(unknown)}: update synth.")
        extra, values = [], []
        for column, f in concrete.items():
            if column in columns:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = timezone.now()
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.blank and f.empty_strings_allowed:
                value = ""  # an optional text field: what a form leaves in it
            else:
                raise SynthError(
                    f"{self.name}.{column} is required and synth does not fill it: update synth."
                )
            extra.append(column)
            values.append(f.get_db_prep_save(value, connection))
        self.columns = columns + tuple(extra)
        self.extra = tuple(values)
        # The same values as they end a line of COPY text (generated on PostgreSQL only).
        self.copy_suffix = "".join("\t" + copy_text(v) for v in values)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value) -> str:
    """A value as PostgreSQL's COPY text format writes it."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime | date):
        return value.isoformat()
    obj = getattr(value, "obj", value)  # psycopg's Jsonb wrapper
    if isinstance(obj, dict | list):
        return json.dumps(obj, ensure_ascii=False).translate(_COPY_ESCAPES)
    raise SynthError(f"synth cannot write {value!r} as a column default: update synth.")


class Writer:
    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.rows: dict[str, int] = {}

    def write(self, table: Table, rows) -> int:
        if not rows:
            return 0
        extra = table.extra
        columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
        name = connection.ops.quote_name(table.name)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    if extra:
                        for row in rows:
                            write_row(row + extra)
                    else:
                        for row in rows:
                            write_row(row)
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                sql = f"INSERT INTO {name} ({columns}) VALUES ({marks})"  # noqa: S608 (names from _meta)
                for start in range(0, len(rows), 10_000):
                    chunk = rows[start : start + 10_000]
                    cursor.executemany(sql, [r + extra for r in chunk] if extra else chunk)
        self.rows[table.name] = self.rows.get(table.name, 0) + len(rows)
        return len(rows)

    def write_text(self, table: Table, text: str, count: int) -> int:
        """Lines already in COPY text format (PostgreSQL)."""
        if not count:
            return 0
        columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
        name = connection.ops.quote_name(table.name)
        sql = f"COPY {name} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(text)
        self.rows[table.name] = self.rows.get(table.name, 0) + count
        return count


def _reserve_ids(table: Table, count: int, postgres: bool) -> int:
    """The first of `count` consecutive free ids of `table` (its sequence moved past them)."""
    name = connection.ops.quote_name(table.name)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {name}")  # noqa: S608
        highest = cursor.fetchone()[0]
        if not postgres:
            return highest + 1
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table.name])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
        last_value, is_called = cursor.fetchone()
        first = max(highest, last_value if is_called else last_value - 1) + 1
        if count:
            cursor.execute("SELECT setval(%s, %s, true)", [sequence, first + count - 1])
    return first


def _release_ids(table: Table, first: int, reserved: int) -> None:
    """Move the sequence back to the last id used when nobody else took one meanwhile
    (nobody can: the tables are locked against writes for the run)."""
    if not reserved:
        return
    name = connection.ops.quote_name(table.name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table.name])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value FROM {sequence}")  # noqa: S608
        if cursor.fetchone()[0] != first + reserved - 1:
            return
        cursor.execute(f"SELECT MAX(id) FROM {name}")  # noqa: S608
        highest = cursor.fetchone()[0]
        if highest is None:
            cursor.execute("SELECT setval(%s, 1, false)", [sequence])
        else:
            cursor.execute("SELECT setval(%s, %s, true)", [sequence, highest])


@dataclass
class _Deferred:
    table: str
    drop: list[str] = field(default_factory=list)
    create: list[str] = field(default_factory=list)


def _pg_relax(table: str) -> _Deferred:
    """Drop the secondary indexes and the foreign keys of `table`, remembering how to
    re-create them (inside the transaction: a failure rolls the drop back)."""
    deferred = _Deferred(table)
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.contype = 'f'
            """,
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
                   c.conname, pg_get_constraintdef(c.oid),
                   EXISTS (SELECT 1 FROM pg_constraint f
                           WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
            FROM pg_index i
            LEFT JOIN pg_constraint c
              ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
             AND c.contype IN ('u', 'x')
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
            """,
            [table],
        )
        indexes = cursor.fetchall()
    qn = connection.ops.quote_name
    creates_fk = []
    for name, definition in foreign_keys:
        deferred.drop.append(f"ALTER TABLE {quoted} DROP CONSTRAINT {qn(name)}")
        creates_fk.append(f"ALTER TABLE {quoted} ADD CONSTRAINT {qn(name)} {definition}")
    creates_index = []
    for index, index_def, constraint, constraint_def, referenced in indexes:
        if referenced:
            continue  # another table's foreign key points at it: keep it
        if constraint:
            deferred.drop.append(f"ALTER TABLE {quoted} DROP CONSTRAINT {qn(constraint)}")
            creates_index.append(
                f"ALTER TABLE {quoted} ADD CONSTRAINT {qn(constraint)} {constraint_def}"
            )
        else:
            deferred.drop.append(f"DROP INDEX {index}")
            creates_index.append(index_def)
    deferred.create = creates_index + creates_fk
    with connection.cursor() as cursor:
        for statement in deferred.drop:
            cursor.execute(statement)
    return deferred


def _count_rows(table: str) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table]
            )
            estimate = cursor.fetchone()[0]
            if estimate >= 0:
                return estimate
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


# ---------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class SynthResult:
    seed: int
    centres: int
    centres_created: int
    staff: int
    counts: dict[str, int]
    phases: list[Phase]
    seconds: float
    bulk_tables: list[str]


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder)."""
    weight_sum = sum(weights)
    if not total or not weight_sum:
        return [0] * len(weights)
    shares = [total * w / weight_sum for w in weights]
    counts = [int(s) for s in shares]
    rest = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in order[:rest]:
        counts[i] += 1
    return counts


def _validate(centres: int, persons: int, contacts: int, years: int) -> None:
    for name, value in (("--centres", centres), ("--persons", persons), ("--contacts", contacts)):
        if value < 0:
            raise SynthError(f"{name} must be zero or more (got {value}).")
    if not 1 <= years <= 30:
        raise SynthError(f"--years must be between 1 and 30 (got {years}).")
    if persons and not centres:
        raise SynthError("Persons need at least one centre: give --centres 1 or more.")
    if contacts and not persons:
        raise SynthError("Contacts are generated for the persons of this run: give --persons.")
    if persons > 50_000_000 or contacts > 500_000_000:
        raise SynthError("That is more than ten times the national volume; ask for less.")


def synth_generate(
    *,
    centres: int,
    persons: int,
    contacts: int,
    seed: int,
    years: int = 3,
    today: date | None = None,
    stream=None,
) -> SynthResult:
    """Generate synthetic persons, households, consents and contacts in `centres` centres
    (see the module's docstring). Raises SynthError for bad arguments."""
    _validate(centres, persons, contacts, years)
    started = time.perf_counter()
    today = today or timezone.localdate()
    postgres = connection.vendor == "postgresql"
    stream = stream or sys.stdout
    suffix = "+00" if postgres else ""
    tables = {
        "household": Table(Household, COLUMNS["household"]),
        "person": Table(Person, COLUMNS["person"]),
        "consent": Table(Consent, COLUMNS["consent"]),
        "contact": Table(Contact, COLUMNS["contact"]),
        "contact_person": Table(ContactPerson, COLUMNS["contact_person"]),
        "contact_service": Table(Contact.services.through, COLUMNS["contact_service"]),
    }
    phases: list[Phase] = []
    with transaction.atomic():
        if postgres:
            with connection.cursor() as cursor:
                names = ", ".join(connection.ops.quote_name(t.name) for t in tables.values())
                cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
                cursor.execute("SET LOCAL work_mem = '256MB'")
        rng = random.Random(f"{seed}:network")
        names_ = Names()
        chosen = _ensure_centres(centres, rng)
        centres_created = sum(1 for c in chosen if c.note == "Synthetic data (koinotita synth).")
        plans = _plans(chosen, seed, names_)
        weights = [p.weight for p in plans]
        for plan, n in zip(plans, _allocate(persons, weights), strict=True):
            plan.persons = n
        for plan, n in zip(plans, _allocate(contacts, [p.persons for p in plans]), strict=True):
            plan.contacts = n
        calendar = Calendar(today=today, years=years, suffix=suffix)

        # Rough sizes, to reserve ids and choose bulk mode.
        expected = {
            "person": persons,
            "household": persons,  # at most one household per person
            "consent": 2 * persons,  # registration, and SMS for some
            "contact": contacts,
            "contact_person": 2 * contacts,  # one person, a few two
            "contact_service": 2 * contacts,  # one or two services
        }
        bulk: list[_Deferred] = []
        if postgres:
            with connection.cursor() as cursor:
                # Check the rows written so far (centres, staff) now: a table with
                # pending foreign-key checks cannot be altered.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for key, table in tables.items():
                rows = expected[key]
                if rows >= BULK_MIN_ROWS and rows >= BULK_MIN_RATIO * _count_rows(table.name):
                    bulk.append(_pg_relax(table.name))
        first_id = {key: _reserve_ids(t, expected[key], postgres) for key, t in tables.items()}
        ids = _identifiers(start=Person.objects.count() if persons else 0)
        writer = Writer()
        counters = _generate_persons(
            plans, tables, writer, first_id, ids, names_, calendar, today, seed, stream
        )
        phases.extend(counters)
        phases.append(_generate_contacts(plans, tables, writer, first_id, calendar, seed, stream))
        if postgres:  # give back the ids reserved but not used
            for key, table in tables.items():
                _release_ids(table, first_id[key], expected[key])
        if bulk:
            statements = [s for d in bulk for s in d.create]
            progress = Progress("indexes", len(statements), stream)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '1GB'")  # hash joins of the FK checks
                for statement in statements:
                    cursor.execute(statement)
                    progress.advance(1)
                for deferred in bulk:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(deferred.table)}")
            phases.append(Phase("indexes", len(statements), progress.finish()))
        counts = {
            "centres": len(chosen),
            "centres_created": centres_created,
            "persons": writer.rows.get(tables["person"].name, 0),
            "households": writer.rows.get(tables["household"].name, 0),
            "consents": writer.rows.get(tables["consent"].name, 0),
            "contacts": writer.rows.get(tables["contact"].name, 0),
            "contact_persons": writer.rows.get(tables["contact_person"].name, 0),
            "contact_services": writer.rows.get(tables["contact_service"].name, 0),
        }
        seconds = time.perf_counter() - started
        audit_record(
            action="synth.generated",
            object_type="synth",
            detail={**counts, "seed": seed, "years": years, "seconds": round(seconds, 1)},
        )
    if bulk and not connection.in_atomic_block:
        # After a bulk load PostgreSQL advises VACUUM ANALYZE: it sets the visibility map
        # (index-only scans) and the hint bits now, rather than during the first queries
        # or an autovacuum in the middle of a benchmark. VACUUM runs outside a transaction.
        progress = Progress("vacuum", len(bulk), stream)
        with connection.cursor() as cursor:
            for deferred in bulk:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(deferred.table)}")
                progress.advance(1)
        phases.append(Phase("vacuum", len(bulk), progress.finish()))
    return SynthResult(
        seed=seed,
        centres=len(chosen),
        centres_created=centres_created,
        staff=sum(len(p.staff) for p in plans),
        counts=counts,
        phases=phases,
        seconds=time.perf_counter() - started,
        bulk_tables=[d.table for d in bulk],
    )


def _write(stream, text: str) -> None:
    try:
        stream.write(text, ending="")
    except TypeError:
        stream.write(text)


def _identifiers(start: int) -> Identifiers:
    """Identifiers that avoid every AMKA, AFM and document number already stored."""
    if not start:
        return Identifiers()
    active = Person.objects.all()
    return Identifiers(
        used_amka=active.exclude(amka="").values_list("amka", flat=True).iterator(20_000),
        used_afm=active.exclude(afm="").values_list("afm", flat=True).iterator(20_000),
        used_documents=active.exclude(id_document_number="")
        .values_list("id_document_number", flat=True)
        .iterator(20_000),
        start=start,
    )


def _plans(centres: list[Centre], seed: int, names: Names) -> list[CentrePlan]:
    sites: dict[int, list[Site]] = {}
    for site in Site.objects.filter(centre__in=centres, is_active=True).select_related(
        "serves_municipality"
    ):
        sites.setdefault(site.centre_id, []).append(site)
    roma = {c.pk for c in centres if any(s.specialisation == "roma" for s in sites.get(c.pk, []))}
    staff = _ensure_staff(centres, roma, seed, names)
    plans = []
    for centre in centres:
        centre_sites = sites.get(centre.pk, [])
        main = next((s for s in centre_sites if s.kind == Site.Kind.MAIN), None)
        if main is None:
            main = Site.objects.create(
                centre=centre,
                kind=Site.Kind.MAIN,
                serves_municipality=centre.municipality,
                code=f"{centre.code}-main",
                name=f"Έδρα {centre.name}",
                name_en=f"{centre.name_en} main office",
            )
        antenna = next((s for s in centre_sites if s.kind == Site.Kind.ANTENNA), None)
        branch = next((s for s in centre_sites if s.specialisation == "roma"), None)
        rng = random.Random(f"{seed}:weight:{centre.code}")
        plans.append(
            CentrePlan(
                centre=centre,
                municipality=centre.municipality,
                main_site=main.pk,
                antenna=(antenna.pk, antenna.serves_municipality) if antenna else None,
                roma_branch=branch.pk if branch else None,
                staff=staff[centre.pk],
                weight=rng.lognormvariate(0, 0.5)
                * BIG_MUNICIPALITIES.get(centre.municipality.name, 1.0),
            )
        )
    return plans


def _postal_code(municipality: Municipality) -> str:
    known = POSTAL_CODES.get(municipality.code)
    if known:
        return known
    h = _stable_hash(municipality.code)
    return f"{10 + h % 75}{(h // 75) % 10}{'00' if h % 4 else f'{(h // 750) % 100:02d}'}"


def _area_code(municipality: Municipality) -> str:
    known = AREA_CODES.get(municipality.code)
    if known:
        return known
    h = _stable_hash(municipality.regional_unit_id.__str__())
    return f"2{210 + h % 690}{h % 10}"


def _generate_persons(plans, tables, writer, first_id, ids, names, calendar, today, seed, stream):
    total = sum(p.persons for p in plans)
    maker = PersonMaker(names=names, ids=ids, calendar=calendar, today=today)
    progress = Progress("persons", total, stream)
    person_id = first_id["person"]
    household_id = first_id["household"]
    consent_id = first_id["consent"]
    households: list[tuple] = []
    person_rows: list[tuple] = []
    consent_rows: list[tuple] = []
    group_pick = names.migrant_group

    def flush():
        nonlocal consent_id
        writer.write(tables["person"], person_rows)
        numbered = []
        for row in consent_rows:
            numbered.append((consent_id, *row))
            consent_id += 1
        writer.write(tables["consent"], numbered)
        progress.advance(len(person_rows))
        person_rows.clear()
        consent_rows.clear()

    for plan in plans:
        rng = random.Random(f"{seed}:persons:{plan.centre.code}")
        rand = rng.random
        plan.first_person = person_id
        centre_id = plan.centre.pk
        own = plan.municipality
        postal = {own.pk: _postal_code(own)}
        area = {own.pk: _area_code(own)}
        if plan.antenna:
            served = plan.antenna[1]
            postal[served.pk], area[served.pk] = _postal_code(served), _area_code(served)
        roma_share = 0.25 if plan.roma_branch else 0.02
        migrant_share = 0.03 + 0.06 * rng.random()
        remaining = plan.persons
        while remaining > 0:
            roma = rand() < roma_share
            migrant = group_pick(rand) if not roma and rand() < migrant_share else None
            members = maker.household(rand, roma=roma, migrant=migrant)[:remaining]
            site_class = 0
            municipality = own
            if plan.antenna and rand() < 0.12:
                site_class, municipality = 1, plan.antenna[1]
            elif roma and plan.roma_branch:
                site_class = 2
            reg_day = calendar.random_day(rand)
            reg_slot = bisect_right(calendar.slot_cum, rand() * calendar.slot_cum[-1])
            flags = {
                "programme": rand() < 0.18,
                "min_income": rand() < (0.35 if roma else 0.15),
                "poverty": rand() < (0.5 if roma else 0.18),
                "basic_needs": rand() < 0.08,
            }
            persons, consents, address, reg_days = maker.rows_for_household(
                rand,
                members=members,
                person_id=person_id,
                household_id=household_id,
                centre_id=centre_id,
                municipality_id=municipality.pk,
                postal_code=postal[municipality.pk],
                area_code=area[municipality.pk],
                staff=plan.staff,
                reg_day=reg_day,
                reg_slot=reg_slot,
                roma=roma,
                migrant=migrant,
                flags=flags,
            )
            households.append(
                (household_id, centre_id, address, postal[municipality.pk], municipality.pk,
                 calendar.at(reg_day, reg_slot))
            )  # fmt: skip
            start = person_id - plan.first_person
            for day in reg_days:
                plan.reg_day.append(day)
                plan.reg_slot.append(reg_slot)
                plan.household_start.append(start)
                plan.household_size.append(min(len(members), 255))
                plan.site_class.append(site_class)
            person_rows.extend(persons)
            consent_rows.extend(consents)
            person_id += len(members)
            household_id += 1
            remaining -= len(members)
            if len(person_rows) >= BATCH:
                flush()
    flush()
    persons_phase = Phase("persons", total, progress.finish())
    progress = Progress("households", len(households), stream)
    for start in range(0, len(households), BATCH):
        chunk = households[start : start + BATCH]
        writer.write(tables["household"], chunk)
        progress.advance(len(chunk))
    households_phase = Phase("households", len(households), progress.finish())
    return [persons_phase, households_phase]


def _minutes_table(rng: random.Random, channel: str) -> list[int]:
    low, mode, high = MINUTES[channel]
    return [max(1, int(rng.triangular(low, high, mode))) for _ in range(1000)]


def _combo_tables(services: dict[str, int], escape: bool = False):
    """channel → 1000 picks of (service ids, requests); unknown service codes are left out.
    With `escape`, the requests are written for COPY text."""

    def table(combos):
        usable = []
        for codes, weight, requests in combos:
            ids = tuple(services[c] for c in codes if c in services)
            if escape:
                requests = tuple(copy_text(r) for r in requests)
            if ids:
                usable.append(((ids, requests), weight))
        if not usable:
            return [((), ("",))] * 1000
        return Pick(usable).table(1000)

    tables = {channel: table(combos) for channel, combos in SERVICE_COMBOS.items()}
    tables["registration"] = table(REGISTRATION_COMBOS)
    return tables


def _generate_contacts(plans, tables, writer, first_id, calendar, seed, stream):
    """Write the contacts; on PostgreSQL a forked process generates them while this one
    writes, so that generating (Python) and loading (PostgreSQL) use both cores."""
    total = sum(p.contacts for p in plans)
    progress = Progress("contacts", total, stream)
    services = dict(Service.objects.filter(is_active=True).values_list("code", "id"))
    # On PostgreSQL the rows are made as lines of COPY text, by a forked process when
    # there are many, so that this process only passes them on.
    text = writer.postgres
    suffixes = [tables[k].copy_suffix for k in ("contact", "contact_person", "contact_service")]
    batches = _contact_batches(
        plans, _combo_tables(services, escape=text), first_id, calendar, seed, text, suffixes
    )
    if text and total >= BATCH:
        batches = _in_child_process(batches)
    keys = ("contact", "contact_person", "contact_service")
    for batch in batches:
        for key, (payload, count) in zip(keys, batch, strict=True):
            if text:
                writer.write_text(tables[key], payload, count)
            else:
                writer.write(tables[key], payload)
        progress.advance(batch[0][1])
    return Phase("contacts", total, progress.finish())


def _in_child_process(batches, depth: int = 3):
    """Run the generator `batches` in a forked process and yield what it yields.

    The child only computes: it never touches the database connection it inherited, and
    multiprocessing ends it with os._exit, so nothing of the parent's is closed.
    """
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: generate here
        yield from batches
        return
    queue = context.Queue(maxsize=depth)

    def produce():
        try:
            for batch in batches:
                queue.put(batch)
            queue.put(None)
        except BaseException as exc:  # report to the parent, which raises
            queue.put(("error", repr(exc)))

    child = context.Process(target=produce, daemon=True)
    child.start()
    try:
        while True:
            try:
                batch = queue.get(timeout=600)
            except Empty:
                raise SynthError("The contact generator stopped answering.") from None
            if batch is None:
                break
            if isinstance(batch[0], str) and batch[0] == "error":
                raise SynthError(f"Generating contacts failed: {batch[1]}")
            yield batch
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def _contact_batches(plans, combos, first_id, calendar, seed, text=False, suffixes=("", "", "")):
    """Batches of ((rows, count) of contacts, of contact persons, of contact services): rows
    as tuples, or as one string of COPY text lines when `text`."""
    c_end, cp_end, cs_end = (suffix + "\n" for suffix in suffixes)
    notes = tuple(copy_text(n) for n in NOTES) if text else NOTES
    contact_id = first_id["contact"]
    cp_id = first_id["contact_person"]
    cs_id = first_id["contact_service"]
    site_kinds = ("main", "antenna", "branch")
    for plan in plans:
        n = plan.contacts
        if not n:
            continue
        rng = random.Random(f"{seed}:contacts:{plan.centre.code}")
        rand = rng.random
        channel_tables = [Pick(CHANNELS_BY_SITE[k].items()).table(1000) for k in site_kinds]
        minutes = {ch: _minutes_table(rng, ch) for ch in MINUTES}
        centre_id = plan.centre.pk
        site_ids = plan.site_ids
        staff = plan.staff
        n_staff = len(staff)
        np_ = plan.persons
        p0 = plan.first_person
        reg_day, reg_slot = plan.reg_day, plan.reg_slot
        hh_start, hh_size, site_class = plan.household_start, plan.household_size, plan.site_class
        anonymous = round(n * ANONYMOUS_SHARE) if np_ else n
        named = n - anonymous
        first_contacts = min(np_, named)
        frequent = max(1, int(np_ * 0.15))
        order = list(range(np_))
        rng.shuffle(order)
        cum, total_w, last_day = calendar.cum, calendar.total, len(calendar.cum) - 1
        prefix, slot_text, offset_index = calendar.prefix, calendar.slot_text, calendar.offset_index
        slot_ids = range(len(calendar.slot_minutes))
        registration = combos["registration"]
        info = combos["phone"]
        contacts_rows, cp_rows, cs_rows = [], [], []
        j = 0
        while j < n:
            batch = min(BATCH, n - j)
            slots = rng.choices(slot_ids, cum_weights=calendar.slot_cum, k=batch)
            for k in range(batch):
                j_all = j + k
                note = ""
                if j_all < first_contacts:
                    i = j_all
                    day, slot = reg_day[i], reg_slot[i]
                    sc = site_class[i]
                    channel = "antenna" if sc == 1 else "in_person"
                    ids, requests = registration[int(rand() * 1000)]
                    request = requests[0]
                elif j_all < named:
                    # 15% of the persons come often and make 40% of these contacts
                    i = order[int(frequent * rand())] if rand() < 0.4 else int(np_ * rand())
                    first = reg_day[i]
                    base = cum[first - 1] if first else 0.0
                    day = bisect_right(cum, base + (total_w - base) * rand())
                    if day > last_day:
                        day = last_day
                    elif day < first:
                        day = first
                    slot = slots[k]
                    if day == first and slot < reg_slot[i]:  # not before registering
                        slot = reg_slot[i]
                    sc = site_class[i]
                    channel = channel_tables[sc][int(rand() * 1000)]
                    ids, requests = combos[channel][int(rand() * 1000)]
                    request = requests[int(rand() * len(requests))] if rand() < 0.6 else ""
                    if rand() < 0.04:
                        note = notes[int(rand() * len(notes))]
                else:
                    i = -1
                    day = calendar.random_day(rand)
                    slot = slots[k]
                    sc = 0
                    channel = "in_person" if rand() < 0.6 else "phone"
                    ids, requests = info[int(rand() * 1000)]
                    request = ""
                at = prefix[day] + slot_text[offset_index[day]][slot]
                mins = minutes[channel][int(rand() * 1000)]
                staff_id = staff[int(rand() * n_staff)]
                if text:
                    contacts_rows.append(
                        f"{contact_id}\t{centre_id}\t{site_ids[sc]}\t{at}\t{channel}\t"
                        f"{staff_id}\t{'t' if i < 0 else 'f'}\t{request}\t{mins}\t{note}\t"
                        f"{at}{c_end}"
                    )
                else:
                    contacts_rows.append(
                        (contact_id, centre_id, site_ids[sc], at, channel, staff_id, i < 0,
                         request, mins, note, at)
                    )  # fmt: skip
                if i >= 0:
                    if text:
                        cp_rows.append(f"{cp_id}\t{centre_id}\t{contact_id}\t{p0 + i}{cp_end}")
                    else:
                        cp_rows.append((cp_id, centre_id, contact_id, p0 + i))
                    cp_id += 1
                    size = hh_size[i]
                    if size > 1 and rand() < SECOND_PERSON_SHARE:
                        start = hh_start[i]
                        other = start + (i - start + 1 + int(rand() * (size - 1))) % size
                        if (
                            other < np_
                            and hh_start[other] == start
                            and (reg_day[other], reg_slot[other]) <= (day, slot)
                        ):
                            if text:
                                cp_rows.append(
                                    f"{cp_id}\t{centre_id}\t{contact_id}\t{p0 + other}{cp_end}"
                                )
                            else:
                                cp_rows.append((cp_id, centre_id, contact_id, p0 + other))
                            cp_id += 1
                for service in ids:
                    if text:
                        cs_rows.append(f"{cs_id}\t{contact_id}\t{service}{cs_end}")
                    else:
                        cs_rows.append((cs_id, contact_id, service))
                    cs_id += 1
                contact_id += 1
            j += batch
            if text:
                yield (
                    ("".join(contacts_rows), len(contacts_rows)),
                    ("".join(cp_rows), len(cp_rows)),
                    ("".join(cs_rows), len(cs_rows)),
                )
            else:
                yield (
                    (contacts_rows, len(contacts_rows)),
                    (cp_rows, len(cp_rows)),
                    (cs_rows, len(cs_rows)),
                )
            contacts_rows, cp_rows, cs_rows = [], [], []
