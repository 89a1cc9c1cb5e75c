"""One-to-one character normalisation of Chinese hours text, before tokenising.

Notices are pasted from web pages of every kind: full-width digits and punctuation, four
different dashes, colon look-alikes (： ∶ ︰ ﹕), non-breaking and zero-width spaces, and
traditional characters (小時, 開通, 週一). Each character is mapped to exactly one
character — never NFKC, which may change the length — so a position in the normalised
text is the same position in the original, and errors point at what the operator typed.
"""

from __future__ import annotations

__all__ = ["normalize_text"]

_DASHES = dict.fromkeys("—–‒―−﹣〜～‐‑ー", "-")
_COLONS = dict.fromkeys("∶︰﹕：", ":")
_BRACKETS = {"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "〈": "(", "〉": ")",
             "《": "(", "》": ")", "［": "(", "］": ")"}
_SPACES = dict.fromkeys("\r\t\u00a0\u2002\u2003\u2009\u200b\u202f\u205f\u3000\ufeff", " ")

# Traditional characters seen in hours texts (Hong Kong, Taiwan, Macau and mainland pages
# written in traditional script), each to its simplified form.
_TRADITIONAL = dict(zip(
    "時點週禮節開關閉館無與間務線專暢斷鐘頭個國從為後晝雙營業辦診門諮詢話僅號機電裡際當暫停",
    "时点周礼节开关闭馆无与间务线专畅断钟头个国从为后昼双营业办诊门咨询话仅号机电里际当暂停",
))

_TABLE = {**_DASHES, **_COLONS, **_BRACKETS, **_SPACES, **_TRADITIONAL}


def normalize_text(text: str) -> str:
    """Full-width ASCII to half-width, look-alikes to one form, traditional to simplified."""
    out = []
    for ch in text:
        mapped = _TABLE.get(ch)
        if mapped is None:
            code = ord(ch)
            mapped = chr(code - 0xFEE0) if 0xFF01 <= code <= 0xFF5E else ch
        out.append(mapped)
    return "".join(out)
