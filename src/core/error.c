/*
 * error.c — filling and naming error records (see error.h).
 */
#include "error.h"

#include <stdio.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0 when s does not start one. */
static int utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        return 1;
    }
    int n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4
                                                                                          : 0;
    /* the second byte's range excludes overlong forms, surrogates and code points > 10FFFF */
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (n == 0 || s[1] < lo || s[1] > hi) {
        return 0;
    }
    for (int i = 2; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF) {
            return 0;
        }
    }
    return n;
}

void jf_utf8_repair(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p != '\0') {
        int n = utf8_seq(p);
        if (n == 0) {
            *p++ = '?';
        } else {
            p += n;
        }
    }
}

bool jf_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        int n = utf8_seq(p);
        if (n == 0) {
            return false;
        }
        p += n;
    }
    return true;
}

void jf_err_clear(struct jf_err *e)
{
    if (e == NULL) {
        return;
    }
    e->code = JF_E_NONE;
    e->field[0] = '\0';
    e->msg[0] = '\0';
}

int jf_err_set(struct jf_err *e, enum jf_code code, const char *field, const char *fmt, ...)
{
    if (e == NULL) {
        return JF_ERR;
    }
    e->code = code;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    jf_utf8_repair(e->field);
    jf_utf8_repair(e->msg);
    return JF_ERR;
}

void jf_err_prefix_field(struct jf_err *e, const char *prefix)
{
    if (e == NULL || prefix == NULL || prefix[0] == '\0') {
        return;
    }
    char buf[JF_ERR_FIELD_MAX];
    if (e->field[0] == '\0') {
        snprintf(buf, sizeof buf, "%s", prefix);
    } else if (e->field[0] == '[') {
        snprintf(buf, sizeof buf, "%s%s", prefix, e->field);
    } else {
        snprintf(buf, sizeof buf, "%s.%s", prefix, e->field);
    }
    memcpy(e->field, buf, sizeof buf);
    jf_utf8_repair(e->field);
}

const char *jf_code_name(enum jf_code code)
{
    switch (code) {
    case JF_E_NONE: return "ok";
    case JF_E_INVALID: return "invalid";
    case JF_E_UNAUTHORIZED: return "unauthorized";
    case JF_E_FORBIDDEN: return "forbidden";
    case JF_E_NOT_FOUND: return "not_found";
    case JF_E_CONFLICT: return "conflict";
    case JF_E_TOO_LARGE: return "too_large";
    case JF_E_REFUSED: return "refused";
    case JF_E_INSUFFICIENT: return "insufficient_balance";
    case JF_E_RATE_LIMITED: return "rate_limited";
    case JF_E_INTERNAL: return "internal";
    case JF_E_NOT_IMPLEMENTED: return "not_implemented";
    }
    return "internal";
}

int jf_code_http_status(enum jf_code code)
{
    switch (code) {
    case JF_E_NONE: return 200;
    case JF_E_INVALID: return 400;
    case JF_E_UNAUTHORIZED: return 401;
    case JF_E_FORBIDDEN: return 403;
    case JF_E_NOT_FOUND: return 404;
    case JF_E_CONFLICT: return 409;
    case JF_E_TOO_LARGE: return 413;
    case JF_E_REFUSED: return 422;
    case JF_E_INSUFFICIENT: return 422;
    case JF_E_RATE_LIMITED: return 429;
    case JF_E_INTERNAL: return 500;
    case JF_E_NOT_IMPLEMENTED: return 501;
    }
    return 500;
}

int jf_err_rename_field(struct jf_err *e, const char *from, const char *to)
{
    if (e != NULL && strcmp(e->field, from) == 0) {
        snprintf(e->field, sizeof e->field, "%s", to ? to : "");
        jf_utf8_repair(e->field);
    }
    return JF_ERR;
}
