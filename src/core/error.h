/*
 * error.h — the error record every fallible function fills.
 *
 * A function that can fail returns JF_OK or JF_ERR and, on JF_ERR, has filled the caller-owned
 * struct jf_err: a stable machine code (which the HTTP edge maps to a status), the input field
 * at fault when there is one (a JSON path such as "items[0].qty"), and a lowercase English
 * message naming what failed. Programmer errors are not reported this way: they are assertions.
 */
#ifndef JF_ERROR_H
#define JF_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

#define JF_OK 0
#define JF_ERR (-1)

enum jf_code {
    JF_E_NONE = 0,
    JF_E_INVALID,        /* 400: malformed or out-of-range input */
    JF_E_UNAUTHORIZED,   /* 401 */
    JF_E_FORBIDDEN,      /* 403 */
    JF_E_NOT_FOUND,      /* 404 */
    JF_E_CONFLICT,       /* 409: state or idempotency conflict */
    JF_E_TOO_LARGE,      /* 413 */
    JF_E_REFUSED,        /* 422: well-formed but refused by a rule */
    JF_E_INSUFFICIENT,   /* 422: not enough balance or stock */
    JF_E_RATE_LIMITED,   /* 429 */
    JF_E_INTERNAL,       /* 500: store failure, overflow of a stored total */
    JF_E_NOT_IMPLEMENTED /* 501: a program that this build does not compute yet */
};

#define JF_ERR_FIELD_MAX 96
#define JF_ERR_MSG_MAX 256

struct jf_err {
    enum jf_code code;
    char field[JF_ERR_FIELD_MAX];
    char msg[JF_ERR_MSG_MAX];
};

/* Replaces every byte of `s` that is not part of a valid UTF-8 sequence with '?', in place.
 * Messages quote input, cut to a length that may split a character, and travel as JSON text,
 * which must be valid UTF-8: jf_err_set and the field functions below apply it to the record. */
void jf_utf8_repair(char *s);
/* Whether `s` is valid UTF-8 throughout (no overlong form, no surrogate, nothing past U+10FFFF). */
bool jf_utf8_valid(const char *s);

/* Clears the record (code NONE, empty strings). */
void jf_err_clear(struct jf_err *e);

/* Fills the record and returns JF_ERR so that callers can `return jf_err_set(...)`.
 * `field` may be NULL. `e` may be NULL (the error is then only returned). */
int jf_err_set(struct jf_err *e, enum jf_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prefixes the field with `prefix` ("rules" + "release.tiers" -> "rules.release.tiers"). */
void jf_err_prefix_field(struct jf_err *e, const char *prefix);

/* Renames the field `from` to `to` (NULL or "": no field) when the error names it: for callers
 * whose request names a thing otherwise than the operation they call ("to" -> "to_phone"). */
int jf_err_rename_field(struct jf_err *e, const char *from, const char *to);

/* The stable snake_case name of a code ("insufficient_balance"), and its HTTP status. */
const char *jf_code_name(enum jf_code code);
int jf_code_http_status(enum jf_code code);

#endif
