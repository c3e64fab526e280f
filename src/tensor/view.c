/* Views: transpose, permute, reshape and slices share the owner's buffer and
 * only rewrite shape, strides and the data pointer (ggml's view tensors).
 * Reshape falls back to a copy when the strides cannot express the new shape. */
#include "tensor_int.h"

lm_tensor *lm_tensor_transpose(const lm_tensor *t) {
    lm_tensor *v = lm_tensor_new_view(t);
    /* 2-D swaps the axes; other ranks reverse them, as NumPy's .T does. */
    for (int d = 0; d < t->ndim; d++) {
        v->shape[d] = t->shape[t->ndim - 1 - d];
        v->stride[d] = t->stride[t->ndim - 1 - d];
    }
    return v;
}

lm_tensor *lm_tensor_permute(const lm_tensor *t, const int *perm, lm_err *err) {
    bool seen[LM_MAX_DIMS] = {false};
    for (int d = 0; d < t->ndim; d++) {
        int p = perm[d];
        if (p < 0 || p >= t->ndim || seen[p]) {
            lm_err_set(err, LM_ERR_DOMAIN,
                       "the new order of dimensions must use each of 1 to %d exactly once", t->ndim);
            return NULL;
        }
        seen[p] = true;
    }
    lm_tensor *v = lm_tensor_new_view(t);
    for (int d = 0; d < t->ndim; d++) {
        v->shape[d] = t->shape[perm[d]];
        v->stride[d] = t->stride[perm[d]];
    }
    return v;
}

lm_tensor *lm_tensor_reshape(const lm_tensor *t, int ndim, const int64_t *shape, lm_err *err) {
    char from[64], to[64];
    if (ndim < 1 || ndim > LM_MAX_DIMS) {
        lm_err_set(err, LM_ERR_LIMIT, "a tensor can have at most %d dimensions, not %d", LM_MAX_DIMS, ndim);
        return NULL;
    }
    bool any_zero = false;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0) {
            lm_err_set(err, LM_ERR_DOMAIN, "a size cannot be negative (got %lld)", (long long)shape[d]);
            return NULL;
        }
        if (shape[d] == 0) any_zero = true;
    }
    /* t->size <= LM_MAX_ELEMS, so stopping the product there avoids overflow. */
    int64_t size = any_zero ? 0 : 1;
    bool fits = true;
    for (int d = 0; d < ndim && !any_zero; d++) {
        if (shape[d] > LM_MAX_ELEMS / size) {
            fits = false;
            break;
        }
        size *= shape[d];
    }
    if (!fits || size != t->size) {
        lm_tensor_shape_str(t, from);
        lm_tensor_dims_str(ndim, shape, to);
        double want = 1.0;
        for (int d = 0; d < ndim; d++) want *= (double)shape[d];
        lm_err_set(err, LM_ERR_SHAPE, "cannot reshape %s (%lld elements) into %s (%.15g elements)", from,
                   (long long)t->size, to, want);
        return NULL;
    }
    lm_tensor *v;
    if (lm_tensor_is_contiguous(t)) {
        v = lm_tensor_new_view(t);
    } else {
        v = lm_tensor_copy(t, err); /* fresh and unshared: safe to reshape in place */
        if (!v) return NULL;
    }
    v->ndim = ndim;
    for (int d = 0; d < ndim; d++) v->shape[d] = shape[d];
    for (int d = ndim; d < LM_MAX_DIMS; d++) v->shape[d] = v->stride[d] = 0;
    lm_tensor_rowmajor_strides(ndim, shape, v->stride);
    return v;
}

lm_tensor *lm_tensor_slice(const lm_tensor *t, const int64_t *start, const int64_t *stop, const int64_t *step,
                           lm_err *err) {
    int64_t off = 0, shape[LM_MAX_DIMS], stride[LM_MAX_DIMS];
    bool empty = false;
    for (int d = 0; d < t->ndim; d++) {
        int64_t a = start ? start[d] : 0, b = stop ? stop[d] : t->shape[d], s = step ? step[d] : 1;
        if (s <= 0) {
            lm_err_set(err, LM_ERR_DOMAIN, "a slice step must be positive (got %lld)", (long long)s);
            return NULL;
        }
        if (b < a) b = a; /* an empty selection, wherever it starts */
        if (a < 0 || b > t->shape[d]) {
            lm_err_set(err, LM_ERR_SHAPE, "index range %lld to %lld is out of bounds for dimension %d of size %lld",
                       (long long)a + 1, (long long)b, d + 1, (long long)t->shape[d]);
            return NULL;
        }
        shape[d] = (b - a + s - 1) / s;
        stride[d] = t->stride[d] * s;
        if (shape[d] == 0) empty = true;
        off += a * t->stride[d];
    }
    lm_tensor *v = lm_tensor_new_view(t);
    int64_t size = 1;
    for (int d = 0; d < t->ndim; d++) {
        v->shape[d] = shape[d];
        v->stride[d] = stride[d];
        size *= shape[d];
    }
    v->size = size;
    /* An empty view keeps the original pointer: its start may lie past the end. */
    if (!empty) {
        v->data = t->data + off;
        if (t->imag) v->imag = t->imag + off;
    }
    return v;
}
