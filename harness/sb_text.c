/* sb_text.c -- text that stays readable: valid UTF-8 on one line (see sb.h,
 * "Text for files and messages"). */
#include "sb.h"

#include <stdio.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes
 * there are not one (bad lead byte, bad or missing continuation, overlong
 * form, a surrogate, or past U+10FFFF). */
static size_t utf8_len(const unsigned char *s)
{
    size_t len, i;
    unsigned cp;
    if (s[0] < 0x80) return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) { len = 2; cp = s[0] & 0x1fu; }
    else if (s[0] >= 0xe0 && s[0] <= 0xef) { len = 3; cp = s[0] & 0x0fu; }
    else if (s[0] >= 0xf0 && s[0] <= 0xf4) { len = 4; cp = s[0] & 0x07u; }
    else return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;     /* also stops at the NUL */
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    return len;
}

size_t sb_text_clean(const char *in, char *out, size_t n)
{
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    size_t j = 0, escaped = 0;
    if (n == 0) return 0;
    while (*s) {
        size_t len = utf8_len(s);
        char piece[8];
        size_t plen;
        if (len == 0 || (len == 1 && (*s < 0x20 || *s == 0x7f))) {
            if (*s == '\n' || *s == '\r' || *s == '\t') {
                piece[0] = ' ';
                plen = 1;
            } else {
                plen = (size_t)snprintf(piece, sizeof piece, "\\x%02x", *s);
            }
            len = 1;
            escaped++;
        } else {
            memcpy(piece, s, len);
            plen = len;
        }
        if (j + plen >= n) break;       /* cut at a character boundary */
        memcpy(out + j, piece, plen);
        j += plen;
        s += len;
    }
    out[j] = '\0';
    return escaped;
}
