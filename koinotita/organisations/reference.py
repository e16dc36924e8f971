"""The real network the demo and the tests load (../shared/domain/places.md).

Codes are stable identifiers: loading twice updates in place instead of duplicating.
"""

REGIONS = [
    {
        "code": "dytiki-makedonia",
        "name": "Περιφέρεια Δυτικής Μακεδονίας",
        "name_en": "Region of Western Macedonia",
        "regional_units": [
            {
                "code": "grevena",
                "name": "Γρεβενά",
                "name_en": "Grevena",
                "municipalities": [
                    {"code": "grevena", "name": "Γρεβενά", "name_en": "Grevena"},
                    {"code": "deskati", "name": "Δεσκάτη", "name_en": "Deskati"},
                ],
            },
            {
                "code": "kastoria",
                "name": "Καστοριά",
                "name_en": "Kastoria",
                "municipalities": [
                    {"code": "kastoria", "name": "Καστοριά", "name_en": "Kastoria"},
                    {"code": "nestorio", "name": "Νεστόριο", "name_en": "Nestorio"},
                    {
                        "code": "argos-orestiko",
                        "name": "Άργος Ορεστικό",
                        "name_en": "Argos Orestiko",
                    },
                ],
            },
            {
                "code": "kozani",
                "name": "Κοζάνη",
                "name_en": "Kozani",
                "municipalities": [
                    {"code": "kozani", "name": "Κοζάνη", "name_en": "Kozani"},
                    {
                        "code": "eordaia",
                        "name": "Εορδαία",
                        "name_en": "Eordaia",
                        "seat": "Πτολεμαΐδα",
                    },
                    {
                        "code": "servia-velventos",
                        "name": "Σέρβια-Βελβεντός",
                        "name_en": "Servia-Velventos",
                        "note": "Split in two in 2019 (Σέρβια, Βελβεντός).",
                    },
                    {"code": "voio", "name": "Βόιο", "name_en": "Voio"},
                ],
            },
            {
                "code": "florina",
                "name": "Φλώρινα",
                "name_en": "Florina",
                "municipalities": [
                    {"code": "florina", "name": "Φλώρινα", "name_en": "Florina"},
                    {"code": "prespes", "name": "Πρέσπες", "name_en": "Prespes"},
                    {"code": "amyntaio", "name": "Αμύνταιο", "name_en": "Amyntaio"},
                ],
            },
        ],
    },
    {
        "code": "thessalia",
        "name": "Περιφέρεια Θεσσαλίας",
        "name_en": "Region of Thessaly",
        "regional_units": [
            {
                "code": "magnisia",
                "name": "Μαγνησία",
                "name_en": "Magnesia",
                "municipalities": [
                    {"code": "almyros", "name": "Αλμυρός", "name_en": "Almyros"},
                ],
            },
        ],
    },
]


def _centre(code, genitive, name_en, *, extra_sites=(), note=""):
    sites = [
        {
            "code": f"{code}-main",
            "kind": "main",
            "name": f"Έδρα Κέντρου Κοινότητας {genitive}",
            "name_en": f"{name_en} main office",
            "serves": code,
        },
        *extra_sites,
    ]
    return {
        "code": code,
        "municipality": code,
        "name": f"Κέντρο Κοινότητας Δήμου {genitive}",
        "name_en": f"Community Centre of {name_en}",
        "note": note,
        "sites": sites,
    }


def _roma_branch(code, genitive, name_en):
    return {
        "code": f"{code}-roma",
        "kind": "branch",
        "specialisation": "roma",
        "name": f"Παράρτημα υποστήριξης Ρομά {genitive}",
        "name_en": f"{name_en} Roma support branch",
        "serves": code,
    }


CENTRES = [
    _centre("grevena", "Γρεβενών", "Grevena"),
    _centre("deskati", "Δεσκάτης", "Deskati"),
    _centre(
        "kastoria",
        "Καστοριάς",
        "Kastoria",
        extra_sites=[
            {
                "code": "kastoria-antenna-nestorio",
                "kind": "antenna",
                "name": "Αντένα εξυπηρέτησης Νεστορίου",
                "name_en": "Nestorio antenna",
                "serves": "nestorio",
            }
        ],
    ),
    _centre("argos-orestiko", "Άργους Ορεστικού", "Argos Orestiko"),
    _centre("kozani", "Κοζάνης", "Kozani"),
    _centre(
        "eordaia",
        "Εορδαίας",
        "Eordaia",
        extra_sites=[_roma_branch("eordaia", "Εορδαίας", "Eordaia")],
    ),
    _centre("servia-velventos", "Σερβίων-Βελβεντού", "Servia-Velventos"),
    _centre("voio", "Βοΐου", "Voio"),
    _centre(
        "florina",
        "Φλώρινας",
        "Florina",
        extra_sites=[
            _roma_branch("florina", "Φλώρινας", "Florina"),
            {
                "code": "florina-antenna-prespes",
                "kind": "antenna",
                "name": "Αντένα εξυπηρέτησης Πρεσπών",
                "name_en": "Prespes antenna",
                "serves": "prespes",
            },
        ],
    ),
    _centre("amyntaio", "Αμυνταίου", "Amyntaio"),
    _centre(
        "almyros",
        "Αλμυρού",
        "Almyros",
        note="Υλοποιείται με το προσωπικό του Δήμου. / Run with the municipality's own staff.",
    ),
]
