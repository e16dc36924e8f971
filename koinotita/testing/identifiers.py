"""Valid Greek identifiers for tests (checked with python-stdnum)."""

from datetime import date

from stdnum import luhn
from stdnum.gr import amka as stdnum_amka
from stdnum.gr import vat


def make_amka(born: date, sex: str = "F", serial: int = 1) -> str:
    """DDMMYY + 3 serial digits + a digit odd for men, even for women + Luhn check digit."""
    base = born.strftime("%d%m%y") + f"{serial % 1000:03d}" + ("1" if sex == "M" else "2")
    number = base + luhn.calc_check_digit(base)
    assert stdnum_amka.is_valid(number)
    return number


def make_afm(serial: int) -> str:
    base = f"{serial % 10**8:08d}"
    total = sum(int(d) * 2 ** (8 - i) for i, d in enumerate(base))
    number = base + str(total % 11 % 10)
    assert vat.is_valid(number), number
    return number
