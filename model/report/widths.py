"""Table column widths for Word documents (the brief, the evaluation report): every column at least as wide as its
longest word, measured with a conservative font metric, so no word is split across lines ("Secti/on")."""
from __future__ import annotations

# Advance widths (1/1000 em) of the characters tables hold, regular and bold, from DejaVu Serif: what LibreOffice
# sets Times New Roman in where the metric-compatible Liberation Serif is missing, and wider than Times New Roman,
# so a column sized by it fits with either. CJK characters and anything not listed count a full em.
_WIDTH_CHARS = (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
                "—–‡†≥≤≈·’‘“”×÷−±…")
_WIDTHS_REGULAR = (
    318, 402, 460, 838, 636, 950, 890, 275, 390, 390, 500, 838, 318, 338, 318, 337, 636, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 337, 337, 838, 838, 838, 536, 1000, 722, 735, 765, 802, 730, 694, 799, 872, 395, 401, 747, 664,
    1024, 875, 820, 673, 820, 753, 685, 667, 843, 722, 1028, 712, 660, 695, 390, 337, 390, 838, 500, 500, 596, 640,
    560, 640, 592, 370, 640, 644, 320, 310, 606, 320, 948, 644, 602, 640, 640, 478, 513, 402, 644, 565, 856, 564, 565,
    527, 636, 337, 636, 838, 1000, 500, 500, 500, 838, 838, 838, 318, 318, 318, 511, 511, 838, 838, 838, 838, 1000)
_WIDTHS_BOLD = (
    348, 439, 521, 838, 696, 950, 903, 306, 473, 473, 523, 838, 348, 415, 348, 365, 696, 696, 696, 696, 696, 696, 696,
    696, 696, 696, 369, 369, 838, 838, 838, 586, 1000, 776, 845, 796, 867, 762, 710, 854, 945, 468, 473, 869, 703,
    1107, 914, 871, 752, 871, 831, 722, 744, 872, 776, 1123, 776, 714, 730, 473, 365, 473, 838, 500, 500, 648, 699,
    609, 699, 636, 430, 699, 727, 380, 362, 693, 380, 1058, 727, 667, 699, 699, 527, 563, 462, 727, 581, 861, 596,
    581, 568, 643, 364, 643, 838, 1000, 500, 523, 523, 838, 838, 838, 348, 348, 348, 575, 575, 838, 838, 838, 838, 1000)
CHAR_WIDTHS = {False: dict(zip(_WIDTH_CHARS, _WIDTHS_REGULAR)), True: dict(zip(_WIDTH_CHARS, _WIDTHS_BOLD))}
NO_LINE_START = "）」』】〕〉》，。、：；！？%‰"  # Chinese punctuation never set at the start of a line …
NO_LINE_END = "（「『【〔〈《"  # … or at its end
SHORT_CJK = 4  # a Chinese cell or heading of at most this many characters is kept on one line (预/警/等/级 read badly)
CELL_PAD_MM = 2.6  # a cell's left and right margins (1 mm each, set in _table) and the border
TABLE_PT = 9
TABLE_PT_SMALLEST = 7.5  # a table whose longest words do not fit at 9 pt is set smaller, down to this


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def words(text: str) -> list[str]:
    """The pieces a cell's text may be broken into: at spaces, and between two Chinese characters (never before a
    closing or after an opening Chinese punctuation mark; never inside a Chinese word of at most :data:`SHORT_CJK`
    characters standing alone). Latin words and figures are never broken."""
    out = []
    for word in str(text).split():
        if len(word) <= SHORT_CJK and all(_wide(ch) for ch in word):  # 预警等级, 正常: a short word is never split
            out.append(word)
            continue
        cur = ""
        for ch in word:
            if cur and _wide(ch) and _wide(cur[-1]) and ch not in NO_LINE_START and cur[-1] not in NO_LINE_END:
                out.append(cur)
                cur = ch
            else:
                cur += ch
        out.append(cur)
    return out


def text_mm(text: str, pt: float = TABLE_PT, bold: bool = False) -> float:
    """Width of ``text`` on one line in millimetres at ``pt`` points (conservative: see CHAR_WIDTHS)."""
    widths = CHAR_WIDTHS[bold]
    return sum(widths.get(ch, 1000) for ch in text) / 1000 * pt * 25.4 / 72


def longest_word_mm(text: str, pt: float = TABLE_PT, bold: bool = False) -> float:
    return max((text_mm(w, pt, bold) for w in words(text)), default=0.0)


def column_widths(head: tuple, rows, wanted: tuple, total_mm: float, pt: float = TABLE_PT,
                  smallest: float = TABLE_PT_SMALLEST, pad_mm: float = CELL_PAD_MM) -> tuple[list[float], float]:
    """(column widths in mm, font size in pt) of a table ``total_mm`` wide: each column at least its longest word
    (header in bold) plus the cell margins, the room left shared in proportion to ``wanted``. Set at 9 pt, or as
    much smaller as makes every longest word fit (down to ``smallest``); ``pad_mm``: a cell's margins and border."""
    while True:
        need = [max([longest_word_mm(str(h), pt, bold=True)] + [longest_word_mm(str(r[i]), pt) for r in rows])
                + pad_mm for i, h in enumerate(head)]
        if sum(need) <= total_mm or pt <= smallest:
            break
        pt -= 0.5
    wanted = list(wanted) if len(wanted) == len(head) else [1.0] * len(head)
    if sum(need) >= total_mm:  # cannot fit even at the smallest size: in proportion to the need
        return [total_mm * n / sum(need) for n in need], pt
    widths: list[float | None] = [None] * len(head)
    free, room = set(range(len(head))), total_mm
    while True:  # columns whose share is below their need get their need; the others share the rest
        share = sum(wanted[i] for i in free)
        short = [i for i in free if room * wanted[i] / share < need[i]]
        if not short:
            break
        for i in short:
            widths[i] = need[i]
            room -= need[i]
            free.discard(i)
    for i in free:
        widths[i] = room * wanted[i] / share
    return [float(w) for w in widths], pt
