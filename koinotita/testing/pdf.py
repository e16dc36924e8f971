"""Reading a PDF the application made, in tests: which fonts it embeds and which characters
its glyphs draw (so a test can tell that Greek was drawn with real glyphs)."""

import re
import zlib


def pdf_fonts_and_characters(pdf: bytes) -> tuple[set[str], set[str]]:
    """The fonts embedded in a PDF and the characters their glyphs stand for (ToUnicode)."""
    fonts, characters = set(), set()
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        fonts.update(n.decode() for n in re.findall(rb"/FontName\s*/[A-Z]{6}\+([\w-]+)", data))
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for code in re.findall(rb"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]+)>", block):
                characters.update(bytes.fromhex(code.decode()).decode("utf-16-be"))
    return fonts, characters
