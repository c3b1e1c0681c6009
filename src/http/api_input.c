/*
 * api_input.c — what the server takes from a request before a handler may use it: the JSON
 * body (an object; a parse error names the member it was found in), its string fields, and
 * text from the URL and the headers (valid UTF-8, no control characters).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api.h"

bool api_text_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return false;
        }
    }
    return jf_utf8_valid(s);
}

/* One level of the JSON text being walked: an object (with its current member's key, and
 * whether its ':' is passed) or an array (with the index of its current element); and whether
 * the current member's or element's value is complete, or a number or literal is under way. */
struct level {
    bool object, in_value, key_done, value_done, scalar;
    const char *key;
    size_t key_len;
    long index;
};

#define WHERE_DEPTH 32

void api_json_where(const char *text, size_t offset, char *out, size_t n)
{
    struct level lv[WHERE_DEPTH];
    int depth = 0; /* levels open; only the first WHERE_DEPTH are kept */
    out[0] = '\0';
    for (size_t i = 0; i < offset; i++) {
        struct level *top = depth > 0 && depth <= WHERE_DEPTH ? &lv[depth - 1] : NULL;
        char c = text[i];
        if (c == '"') {
            size_t j = i + 1;
            while (j < offset && text[j] != '"') {
                j += text[j] == '\\' ? 2 : 1;
            }
            if (top != NULL && top->object && !top->in_value) {
                top->key = text + i + 1;
                top->key_len = (j < offset ? j : offset) - (i + 1);
                top->key_done = j < offset;
            } else if (top != NULL) {
                top->scalar = true; /* an error right after it is still its own */
            }
            i = j;
        } else if (c == '{' || c == '[') {
            if (depth < WHERE_DEPTH) {
                lv[depth] = (struct level){.object = c == '{'};
            }
            depth++;
        } else if (c == '}' || c == ']') {
            depth -= depth > 0;
            if (depth > 0 && depth <= WHERE_DEPTH) {
                lv[depth - 1].value_done = true;
            }
        } else if (top == NULL) {
            continue;
        } else if (c == ':') {
            top->in_value = true;
        } else if (c == ',') {
            *top = (struct level){.object = top->object, .index = top->index + 1};
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            top->value_done |= top->scalar;
            top->scalar = false;
        } else {
            top->scalar = true;
        }
    }
    if (depth == 0 || !lv[0].object) {
        return; /* outside any object, or the body is not one */
    }
    int last = (depth < WHERE_DEPTH ? depth : WHERE_DEPTH) - 1;
    size_t used = 0;
    for (int d = 0; d <= last; d++) {
        const struct level *l = &lv[d];
        /* the innermost level names its member only while it is being read: its key (a
         * duplicate) or its value, not once the value is complete */
        bool named = l->object ? (l->in_value ? l->key != NULL : l->key_done)
                               : true;
        if (!named || (d == last && l->value_done)) {
            break;
        }
        char part[160];
        int len = l->object ? snprintf(part, sizeof part, "%s%.*s", d == 0 ? "" : ".",
                                       (int)(l->key_len < 128 ? l->key_len : 128), l->key)
                            : snprintf(part, sizeof part, "[%ld]", l->index);
        if (len < 0 || used + (size_t)len >= n) {
            break; /* as much of the path as fits */
        }
        memcpy(out + used, part, (size_t)len + 1);
        used += (size_t)len;
    }
}

int api_json_object(struct api_request *q, const char *prefix, json_t **out, struct jf_err *err)
{
    json_error_t je;
    *out = NULL;
    if (q->body == NULL || q->body_len == 0) {
        return jf_err_set(err, JF_E_INVALID, "body", "the body must be a JSON object");
    }
    /* a NUL byte is no JSON, but the parser would take it for the end of the text */
    const char *nul = memchr(q->body, '\0', q->body_len);
    json_t *doc = nul ? NULL : json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL) {
        char where[JF_ERR_FIELD_MAX];
        size_t at = nul ? (size_t)(nul - q->body) : je.position < 0 ? 0 : (size_t)je.position;
        api_json_where(q->body, at < q->body_len ? at : q->body_len, where, sizeof where);
        jf_err_set(err, JF_E_INVALID, where[0] ? where : "body",
                   "the body is not valid JSON: %s (at byte %zu)",
                   nul ? "a NUL byte" : je.text, at);
        if (where[0] && prefix != NULL) {
            jf_err_prefix_field(err, prefix);
        }
        return JF_ERR;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        return jf_err_set(err, JF_E_INVALID, "body", "the body must be a JSON object");
    }
    *out = doc;
    return JF_OK;
}

int api_body(struct api_request *q, const char *const *fields, struct jf_err *err)
{
    if (api_json_object(q, NULL, &q->json, err) != JF_OK) {
        return JF_ERR;
    }
    const char *key;
    json_t *v;
    json_object_foreach(q->json, key, v)
    {
        bool known = false;
        for (int i = 0; fields[i] != NULL && !known; i++) {
            known = strcmp(fields[i], key) == 0;
        }
        if (!known) {
            /* an empty key is a field too: named as the body's */
            return jf_err_set(err, JF_E_INVALID, key[0] ? key : "body", "unknown field '%.64s'",
                              key);
        }
    }
    return JF_OK;
}

int api_no_body(struct api_request *q, struct jf_err *err)
{
    if (q->body == NULL || q->body_len == 0) {
        return JF_OK;
    }
    json_t *doc;
    if (api_json_object(q, NULL, &doc, err) != JF_OK) {
        return JF_ERR;
    }
    void *it = json_object_iter(doc);
    if (it != NULL) {
        const char *key = json_object_iter_key(it);
        jf_err_set(err, JF_E_INVALID, key[0] ? key : "body",
                   "unknown field '%.64s': this operation takes no body", key);
    }
    json_decref(doc);
    return it == NULL ? JF_OK : JF_ERR;
}

int api_items(json_t *items, struct jf_item_req out[JF_ORDER_ITEMS_MAX], int *n,
              struct jf_err *err)
{
    if (!json_is_array(items) || json_array_size(items) == 0 ||
        json_array_size(items) > JF_ORDER_ITEMS_MAX) {
        return jf_err_set(err, JF_E_INVALID, "items", "1 to %d items of {product, qty}",
                          JF_ORDER_ITEMS_MAX);
    }
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        json_t *p = json_object_get(it, "product"), *qty = json_object_get(it, "qty");
        if (!json_is_object(it) || json_object_size(it) != 2 || !json_is_string(p) ||
            !json_is_integer(qty)) {
            char f[32];
            snprintf(f, sizeof f, "items[%zu]", i);
            return jf_err_set(err, JF_E_INVALID, f, "an item is {\"product\": id, \"qty\": n}");
        }
        out[i] = (struct jf_item_req){json_string_value(p), json_integer_value(qty)};
    }
    *n = (int)json_array_size(items);
    return JF_OK;
}

int api_new_id(struct api_request *q, const char *key, bool required, const char **out,
               struct jf_err *err)
{
    if (api_str(q, key, required, out, err) != JF_OK) {
        return JF_ERR;
    }
    if (*out == NULL) {
        return JF_OK;
    }
    size_t n = strspn(*out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");
    if (n == 0 || n > JF_EXT_ID_MAX || (*out)[n] != '\0') {
        return jf_err_set(err, JF_E_INVALID, key,
                          "a new id is 1 to %d ASCII letters, digits, '-', '_', '.' or ':'",
                          JF_EXT_ID_MAX);
    }
    return JF_OK;
}

int api_str(struct api_request *q, const char *key, bool required, const char **out,
            struct jf_err *err)
{
    json_t *v = json_object_get(q->json, key);
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        return required ? jf_err_set(err, JF_E_INVALID, key, "missing") : JF_OK;
    }
    if (!json_is_string(v) || json_string_length(v) > 256) {
        return jf_err_set(err, JF_E_INVALID, key, "must be a string of at most 256 bytes");
    }
    *out = json_string_value(v);
    return JF_OK;
}
