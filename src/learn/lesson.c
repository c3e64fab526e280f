/* Loading the course: front matter, modules, lessons in curriculum order, the
 * skills they declare (lesson.h). Mistakes found while loading are kept with
 * their file and line; lm_course_check reports them with everything else. */
#include "learn/lesson_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const level_names[] = {"", "beginner", "intermediate", "advanced"};

const char *lm_level_name(lm_level l) {
    return (unsigned)l < sizeof level_names / sizeof *level_names ? level_names[l] : "";
}

lm_level lm_level_parse(const char *s) {
    for (int i = LM_LEVEL_BEGINNER; i <= LM_LEVEL_ADVANCED; i++)
        if (!strcmp(s, level_names[i])) return (lm_level)i;
    return LM_LEVEL_NONE;
}

size_t lm_utf8_len(unsigned char c) {
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) return 2;
    if ((c & 0xF0) == 0xE0) return 3;
    if ((c & 0xF8) == 0xF0) return 4;
    return 1;
}

void lm_report_add(lm_lesson_diag **d, size_t *n, size_t *cap, const char *file, int line,
                   const char *fmt, ...) {
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *d = lm_realloc(*d, *cap * sizeof **d);
    }
    lm_buf b = LM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    (*d)[*n].file = lm_strdup(file);
    (*d)[*n].line = line;
    (*d)[*n].msg = lm_buf_steal(&b);
    (*n)++;
}

/* ---- front matter --------------------------------------------------------- */

static char *trimmed(const char *s, size_t n) {
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    return lm_strndup(s, n);
}

static bool is_fence(const char *line, size_t n) {
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t')) n--;
    return n == 3 && !memcmp(line, "---", 3);
}

bool lm_front_matter_parse(const char *text, size_t len, const char *file, lm_front_matter *fm,
                           lm_lesson_diag **d, size_t *nd, size_t *cap) {
    memset(fm, 0, sizeof *fm);
    const char *end = text + len;
    const char *nl = memchr(text, '\n', len);
    size_t first = nl ? (size_t)(nl - text) : len;
    if (!is_fence(text, first)) {
        lm_report_add(d, nd, cap, file, 1,
                      "the file must start with a front matter block: '---' on the first line");
        return false;
    }
    const char *p = nl ? nl + 1 : end;
    int line = 2;
    size_t ecap = 0;
    bool ok = true;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
        if (is_fence(p, n)) {
            fm->body_off = eol ? (size_t)(eol + 1 - text) : len;
            fm->body_line = line + 1;
            return ok;
        }
        char *whole = trimmed(p, n);
        if (*whole && *whole != '#') {
            const char *colon = strchr(whole, ':');
            if (!colon || colon == whole) {
                lm_report_add(d, nd, cap, file, line,
                              "expected 'key: value' in the front matter, found '%s'", whole);
                ok = false;
            } else {
                if (fm->n == ecap) {
                    ecap = ecap ? ecap * 2 : 8;
                    fm->e = lm_realloc(fm->e, ecap * sizeof *fm->e);
                }
                fm->e[fm->n].key = trimmed(whole, (size_t)(colon - whole));
                fm->e[fm->n].value = trimmed(colon + 1, strlen(colon + 1));
                fm->e[fm->n].line = line;
                fm->n++;
            }
        }
        lm_free(whole);
        line++;
        p = eol ? eol + 1 : end;
    }
    lm_report_add(d, nd, cap, file, 1, "the front matter opened on line 1 is never closed with '---'");
    return false;
}

void lm_front_matter_free(lm_front_matter *fm) {
    for (size_t i = 0; i < fm->n; i++) {
        lm_free(fm->e[i].key);
        lm_free(fm->e[i].value);
    }
    lm_free(fm->e);
    memset(fm, 0, sizeof *fm);
}

bool lm_fm_list(const char *value, char ***items, size_t *n) {
    *items = NULL;
    *n = 0;
    size_t len = strlen(value);
    if (len < 2 || value[0] != '[' || value[len - 1] != ']') return false;
    size_t cap = 0;
    const char *p = value + 1, *end = value + len - 1;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        char *item = trimmed(p, (size_t)(stop - p));
        if (!*item) {
            lm_free(item);
            if (comma || *n) goto bad; /* "[a, , b]" or "[a,]" */
            break;
        }
        if (*n + 1 >= cap) {
            cap = cap ? cap * 2 : 4;
            *items = lm_realloc(*items, cap * sizeof **items);
        }
        (*items)[(*n)++] = item;
        p = comma ? comma + 1 : end;
        if (comma && p == end) goto bad; /* "[a,]" */
    }
    if (!*items) *items = lm_calloc(1, sizeof **items);
    (*items)[*n] = NULL;
    return true;
bad:
    for (size_t i = 0; i < *n; i++) lm_free((*items)[i]);
    lm_free(*items);
    *items = NULL;
    *n = 0;
    return false;
}

/* ---- course building -------------------------------------------------------- */

typedef struct src_file {
    char *path; /* relative */
    char *text;
    size_t len;
} src_file;

#define DIAG(c, file, line, ...) lm_report_add(&(c)->load_diags, &(c)->nload_diags, &(c)->load_cap, file, line, __VA_ARGS__)

static const lm_fm_entry *fm_get(const lm_front_matter *fm, const char *key) {
    for (size_t i = 0; i < fm->n; i++)
        if (!strcmp(fm->e[i].key, key)) return &fm->e[i];
    return NULL;
}

/* A positive integer, or -1. */
static int parse_count(const char *s) {
    if (!*s) return -1;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p) || v > 100000) return -1;
        v = v * 10 + (*p - '0');
    }
    return v > 0 ? (int)v : -1;
}

static bool check_keys(lm_course *c, const char *file, const lm_front_matter *fm, const char *const *keys,
                       const char *keylist) {
    bool ok = true;
    for (size_t i = 0; i < fm->n; i++) {
        bool known = false;
        for (const char *const *k = keys; *k; k++) known |= !strcmp(*k, fm->e[i].key);
        if (!known) {
            DIAG(c, file, fm->e[i].line, "unknown front-matter key '%s' (the keys are %s)", fm->e[i].key, keylist);
            ok = false;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(fm->e[i].key, fm->e[j].key)) {
                DIAG(c, file, fm->e[i].line, "'%s' is given twice (first on line %d)", fm->e[i].key, fm->e[j].line);
                ok = false;
            }
    }
    for (const char *const *k = keys; *k; k++)
        if (!fm_get(fm, *k)) {
            DIAG(c, file, 1, "the front matter has no '%s'", *k);
            ok = false;
        }
    return ok;
}

static lm_module *module_for(lm_course *c, const char *id) {
    for (size_t i = 0; i < c->nmodules; i++)
        if (!strcmp(c->modules[i].id, id)) return &c->modules[i];
    c->modules = lm_realloc(c->modules, (c->nmodules + 1) * sizeof *c->modules);
    lm_module *m = &c->modules[c->nmodules++];
    memset(m, 0, sizeof *m);
    m->id = lm_strdup(id);
    m->order = 1000; /* a folder without module.md sorts last */
    return m;
}

static const char *const module_keys[] = {"id", "title", "level", "order", NULL};
static const char *const lesson_keys[] = {"id", "title", "level", "module", "order",
                                          "prerequisites", "skills", "minutes", NULL};

static void load_module(lm_course *c, const src_file *f, const char *folder) {
    lm_front_matter fm;
    lm_module *m = module_for(c, folder);
    m->file = lm_strdup(f->path);
    if (!lm_front_matter_parse(f->text, f->len, f->path, &fm, &c->load_diags, &c->nload_diags, &c->load_cap)) {
        lm_front_matter_free(&fm);
        return;
    }
    check_keys(c, f->path, &fm, module_keys, "id, title, level, order");
    const lm_fm_entry *e;
    if ((e = fm_get(&fm, "id")) && strcmp(e->value, folder))
        DIAG(c, f->path, e->line, "the module id '%s' does not match its folder '%s'", e->value, folder);
    if ((e = fm_get(&fm, "title"))) m->title = lm_strdup(e->value);
    if ((e = fm_get(&fm, "level")) && !(m->level = lm_level_parse(e->value)))
        DIAG(c, f->path, e->line, "level must be beginner, intermediate or advanced, not '%s'", e->value);
    if ((e = fm_get(&fm, "order"))) {
        int o = parse_count(e->value);
        if (o < 0) DIAG(c, f->path, e->line, "order must be a whole number from 1, not '%s'", e->value);
        else m->order = o;
    }
    m->body = lm_strdup(f->text + fm.body_off);
    lm_front_matter_free(&fm);
}

/* "01-vectors.md" → order 1, slug "vectors"; false when the name is not NN-slug.md. */
static bool split_name(const char *name, int *order, char **slug) {
    size_t n = strlen(name);
    if (n < 7 || !isdigit((unsigned char)name[0]) || !isdigit((unsigned char)name[1]) || name[2] != '-' ||
        strcmp(name + n - 3, ".md"))
        return false;
    *order = (name[0] - '0') * 10 + (name[1] - '0');
    *slug = lm_strndup(name + 3, n - 6);
    return true;
}

static void load_lesson(lm_course *c, const src_file *f, const char *folder, const char *name) {
    int file_order;
    char *slug;
    if (!split_name(name, &file_order, &slug)) {
        DIAG(c, f->path, 0, "a lesson file is named NN-slug.md (like 01-vectors.md); '%s' is not", name);
        return;
    }
    lm_front_matter fm;
    if (!lm_front_matter_parse(f->text, f->len, f->path, &fm, &c->load_diags, &c->nload_diags, &c->load_cap)) {
        lm_front_matter_free(&fm);
        lm_free(slug);
        return;
    }
    check_keys(c, f->path, &fm, lesson_keys,
               "id, title, level, module, order, prerequisites, skills, minutes");
    lm_buf want = LM_BUF_INIT;
    lm_buf_printf(&want, "%s/%s", folder, slug);
    lm_free(slug);

    c->lessons = lm_realloc(c->lessons, (c->nlessons + 1) * sizeof *c->lessons);
    lm_lesson *l = &c->lessons[c->nlessons++];
    memset(l, 0, sizeof *l);
    l->file = lm_strdup(f->path);
    l->body = lm_strdup(f->text + fm.body_off);
    l->body_line = fm.body_line;
    l->module = lm_strdup(folder);
    l->order = file_order;
    const lm_fm_entry *e;
    if ((e = fm_get(&fm, "id")) && strcmp(e->value, lm_buf_cstr(&want)))
        DIAG(c, f->path, e->line, "the id '%s' does not match the file: it should be '%s'", e->value,
             lm_buf_cstr(&want));
    /* the path decides, so that a typo in the id cannot hide the lesson */
    l->id = lm_buf_steal(&want);
    l->title = lm_strdup((e = fm_get(&fm, "title")) ? e->value : l->id);
    if (e && !*e->value) DIAG(c, f->path, e->line, "the title is empty");
    if ((e = fm_get(&fm, "module")) && strcmp(e->value, folder))
        DIAG(c, f->path, e->line, "module '%s' does not match the lesson's folder '%s'", e->value, folder);
    if ((e = fm_get(&fm, "level")) && !(l->level = lm_level_parse(e->value)))
        DIAG(c, f->path, e->line, "level must be beginner, intermediate or advanced, not '%s'", e->value);
    if ((e = fm_get(&fm, "order"))) {
        int o = parse_count(e->value);
        if (o < 0) DIAG(c, f->path, e->line, "order must be a whole number from 1, not '%s'", e->value);
        else if (o != file_order)
            DIAG(c, f->path, e->line, "order is %d but the file name starts with %02d", o, file_order);
    }
    if ((e = fm_get(&fm, "minutes")) && (l->minutes = parse_count(e->value)) < 0) {
        DIAG(c, f->path, e->line, "minutes must be a whole number from 1, not '%s'", e->value);
        l->minutes = 0;
    }
    c->fm_lines = lm_realloc(c->fm_lines, (c->nfm_lines + 1) * sizeof *c->fm_lines);
    lm_fm_lines *fl = &c->fm_lines[c->nfm_lines++];
    fl->file = lm_strdup(f->path);
    fl->prerequisites = (e = fm_get(&fm, "prerequisites")) ? e->line : 1;
    fl->skills = (e = fm_get(&fm, "skills")) ? e->line : 1;
    static const char *const lists[] = {"prerequisites", "skills"};
    for (int k = 0; k < 2; k++) {
        char **items = NULL;
        size_t n = 0;
        if ((e = fm_get(&fm, lists[k])) && !lm_fm_list(e->value, &items, &n))
            DIAG(c, f->path, e->line, "%s must be a list in brackets, like [a, b] or [], not '%s'", lists[k],
                 e->value);
        if (!items) items = lm_calloc(1, sizeof *items);
        if (k == 0) {
            l->prerequisites = (const char *const *)items;
            l->nprerequisites = n;
        } else {
            l->skills = (const char *const *)items;
            l->nskills = n;
        }
    }
    lm_front_matter_free(&fm);
}

/* The skill table in lessons/README.md: rows "| module/skill | what | lesson |". */
static void load_readme(lm_course *c, const src_file *f) {
    c->have_readme = true;
    const char *p = f->text, *end = f->text + f->len;
    bool in_skills = false;
    size_t cap = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
        if (n >= 3 && !memcmp(p, "## ", 3)) in_skills = n >= 13 && !memcmp(p, "## The skills", 13);
        else if (in_skills && n > 1 && p[0] == '|') {
            char *row = lm_strndup(p + 1, n - 1);
            char *cells[3] = {0};
            char *save = NULL;
            char *tok = strtok_r(row, "|", &save);
            for (int i = 0; tok && i < 3; i++, tok = strtok_r(NULL, "|", &save)) cells[i] = tok;
            char *id = cells[0] ? trimmed(cells[0], strlen(cells[0])) : lm_strdup("");
            if (strchr(id, '/') && !strchr(id, ' ') && cells[2]) {
                if (c->nreadme_skills == cap) {
                    cap = cap ? cap * 2 : 64;
                    c->readme_skills = lm_realloc(c->readme_skills, cap * sizeof *c->readme_skills);
                }
                c->readme_skills[c->nreadme_skills].id = id;
                c->readme_skills[c->nreadme_skills++].lesson = trimmed(cells[2], strlen(cells[2]));
                id = NULL;
            }
            lm_free(id);
            lm_free(row);
        }
        p = eol ? eol + 1 : end;
    }
}

static int cmp_module(const void *a, const void *b) {
    const lm_module *x = a, *y = b;
    if (x->order != y->order) return x->order < y->order ? -1 : 1;
    return strcmp(x->id, y->id);
}

static const lm_course *g_sort_course; /* qsort has no user pointer in C11 */

static int module_rank(const char *id) {
    for (size_t i = 0; i < g_sort_course->nmodules; i++)
        if (!strcmp(g_sort_course->modules[i].id, id)) return (int)i;
    return -1;
}

static int cmp_lesson(const void *a, const void *b) {
    const lm_lesson *x = a, *y = b;
    int mx = module_rank(x->module), my = module_rank(y->module);
    if (mx != my) return mx < my ? -1 : 1;
    if (x->order != y->order) return x->order < y->order ? -1 : 1;
    return strcmp(x->file, y->file);
}

static bool has_str(const char *const *v, size_t n, const char *s) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

static void build_skills(lm_course *c) {
    size_t cap = 0;
    for (size_t i = 0; i < c->nlessons; i++) {
        const lm_lesson *l = &c->lessons[i];
        for (size_t k = 0; k < l->nskills; k++) {
            if (lm_course_skill_find(c, l->skills[k])) continue;
            if (c->nskills == cap) {
                cap = cap ? cap * 2 : 64;
                c->skills = lm_realloc(c->skills, cap * sizeof *c->skills);
            }
            lm_course_skill *s = &c->skills[c->nskills++];
            s->id = l->skills[k];
            s->lesson = l->id;
            const char **pre = lm_calloc(1, sizeof *pre);
            size_t np = 0;
            for (size_t p = 0; p < l->nprerequisites; p++) {
                const lm_lesson *pl = lm_course_lesson_find(c, l->prerequisites[p]);
                for (size_t q = 0; pl && q < pl->nskills; q++) {
                    if (has_str(pre, np, pl->skills[q]) || !strcmp(pl->skills[q], s->id)) continue;
                    pre = lm_realloc(pre, (np + 2) * sizeof *pre);
                    pre[np++] = pl->skills[q];
                    pre[np] = NULL;
                }
            }
            s->prerequisites = pre;
            s->nprerequisites = np;
        }
    }
}

static lm_course *build(src_file *files, size_t n) {
    lm_course *c = lm_calloc(1, sizeof *c);
    /* modules first, so lessons can be ranked by them */
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < n; i++) {
            const char *slash = strchr(files[i].path, '/');
            if (!slash) {
                if (pass == 0 && !strcmp(files[i].path, "README.md")) load_readme(c, &files[i]);
                continue;
            }
            if (strchr(slash + 1, '/')) {
                if (pass == 0) DIAG(c, files[i].path, 0, "lessons live one folder deep, as MODULE/NN-slug.md");
                continue;
            }
            char *folder = lm_strndup(files[i].path, (size_t)(slash - files[i].path));
            bool is_module = !strcmp(slash + 1, "module.md");
            if (pass == 1 && is_module) load_module(c, &files[i], folder);
            if (pass == 2 && !is_module) {
                load_lesson(c, &files[i], folder, slash + 1);
                lm_module *m = module_for(c, folder);
                if (!m->file) {
                    m->file = lm_strdup("");
                    DIAG(c, files[i].path, 0, "the folder '%s' has no module.md", folder);
                }
            }
            lm_free(folder);
        }
    }
    for (size_t i = 0; i < c->nmodules; i++) {
        lm_module *m = &c->modules[i];
        if (!m->title) m->title = lm_strdup(m->id);
        if (!m->body) m->body = lm_strdup("");
        if (!m->file) m->file = lm_strdup("");
    }
    qsort(c->modules, c->nmodules, sizeof *c->modules, cmp_module);
    g_sort_course = c;
    qsort(c->lessons, c->nlessons, sizeof *c->lessons, cmp_lesson);
    g_sort_course = NULL;
    for (size_t i = 0; i < c->nlessons; i++) {
        lm_module *m = module_for(c, c->lessons[i].module);
        if (!m->nlessons) m->first = i;
        m->nlessons++;
        if (m->level && c->lessons[i].level && m->level != c->lessons[i].level)
            DIAG(c, c->lessons[i].file, 0, "the lesson's level is %s but its module '%s' is %s",
                 lm_level_name(c->lessons[i].level), m->id, lm_level_name(m->level));
    }
    build_skills(c);
    return c;
}

lm_course *lm_course_load_embedded(void) {
    size_t n = 0;
    while (lm_lessons_embedded[n].path) n++;
    src_file *files = lm_calloc(n + 1, sizeof *files);
    for (size_t i = 0; i < n; i++) {
        files[i].path = lm_strdup(lm_lessons_embedded[i].path);
        files[i].text = lm_strndup((const char *)lm_lessons_embedded[i].data, lm_lessons_embedded[i].len);
        files[i].len = lm_lessons_embedded[i].len;
    }
    lm_course *c = build(files, n);
    for (size_t i = 0; i < n; i++) {
        lm_free(files[i].path);
        lm_free(files[i].text);
    }
    lm_free(files);
    return c;
}

static bool read_file(const char *path, char **text, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    lm_buf b = LM_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) lm_buf_put(&b, chunk, n);
    bool ok = !ferror(f);
    fclose(f);
    *len = b.len;
    *text = b.s ? lm_buf_steal(&b) : lm_strdup("");
    return ok;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Names in dir ending in ".md" (or subfolders when want_dirs), sorted. */
static char **list_dir(const char *dir, bool want_dirs, size_t *n) {
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        lm_buf p = LM_BUF_INIT;
        lm_buf_printf(&p, "%s/%s", dir, e->d_name);
        struct stat st;
        bool ok = stat(p.s, &st) == 0 &&
                  (want_dirs ? S_ISDIR(st.st_mode)
                             : S_ISREG(st.st_mode) && strlen(e->d_name) > 3 &&
                                   !strcmp(e->d_name + strlen(e->d_name) - 3, ".md"));
        lm_buf_free(&p);
        if (!ok) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            names = lm_realloc(names, cap * sizeof *names);
        }
        names[(*n)++] = lm_strdup(e->d_name);
    }
    closedir(d);
    if (names) qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

lm_course *lm_course_load_dir(const char *dir, lm_err *err) {
    DIR *probe = opendir(dir);
    if (!probe) {
        lm_err_set(err, LM_ERR_IO, "cannot read the lesson folder '%s': %s", dir, strerror(errno));
        return NULL;
    }
    closedir(probe);
    src_file *files = NULL;
    size_t nfiles = 0, cap = 0;
    size_t nsub = 0;
    char **subs = list_dir(dir, true, &nsub);
    size_t ntop = 0;
    char **top = list_dir(dir, false, &ntop);
    for (size_t s = 0; s <= nsub; s++) {
        size_t nmd = 0;
        char **md = top;
        nmd = ntop;
        char *subdir = NULL;
        if (s < nsub) {
            lm_buf p = LM_BUF_INIT;
            lm_buf_printf(&p, "%s/%s", dir, subs[s]);
            subdir = lm_buf_steal(&p);
            md = list_dir(subdir, false, &nmd);
        }
        for (size_t i = 0; i < nmd; i++) {
            if (nfiles == cap) {
                cap = cap ? cap * 2 : 64;
                files = lm_realloc(files, cap * sizeof *files);
            }
            lm_buf rel = LM_BUF_INIT, full = LM_BUF_INIT;
            if (subdir) lm_buf_printf(&rel, "%s/%s", subs[s], md[i]);
            else lm_buf_puts(&rel, md[i]);
            lm_buf_printf(&full, "%s/%s", dir, rel.s);
            src_file *f = &files[nfiles];
            if (read_file(full.s, &f->text, &f->len)) {
                f->path = lm_buf_steal(&rel);
                nfiles++;
            } else {
                lm_free(f->text);
                lm_buf_free(&rel);
            }
            lm_buf_free(&full);
            if (subdir) lm_free(md[i]);
        }
        if (subdir) {
            lm_free(md);
            lm_free(subdir);
        }
    }
    lm_course *c = build(files, nfiles);
    for (size_t i = 0; i < nfiles; i++) {
        lm_free(files[i].path);
        lm_free(files[i].text);
    }
    lm_free(files);
    for (size_t i = 0; i < nsub; i++) lm_free(subs[i]);
    for (size_t i = 0; i < ntop; i++) lm_free(top[i]);
    lm_free(subs);
    lm_free(top);
    return c;
}

static void free_list(const char *const *v, size_t n) {
    for (size_t i = 0; i < n; i++) lm_free((void *)v[i]);
    lm_free((void *)v);
}

void lm_course_free(lm_course *c) {
    if (!c) return;
    for (size_t i = 0; i < c->nmodules; i++) {
        lm_module *m = &c->modules[i];
        lm_free((void *)m->id);
        lm_free((void *)m->title);
        lm_free((void *)m->body);
        lm_free((void *)m->file);
    }
    for (size_t i = 0; i < c->nlessons; i++) {
        lm_lesson *l = &c->lessons[i];
        lm_free((void *)l->id);
        lm_free((void *)l->title);
        lm_free((void *)l->module);
        lm_free((void *)l->body);
        lm_free((void *)l->file);
        free_list(l->prerequisites, l->nprerequisites);
        free_list(l->skills, l->nskills);
    }
    for (size_t i = 0; i < c->nskills; i++) lm_free((void *)c->skills[i].prerequisites);
    for (size_t i = 0; i < c->nreadme_skills; i++) {
        lm_free(c->readme_skills[i].id);
        lm_free(c->readme_skills[i].lesson);
    }
    for (size_t i = 0; i < c->nload_diags; i++) {
        lm_free(c->load_diags[i].file);
        lm_free(c->load_diags[i].msg);
    }
    lm_free(c->load_diags);
    for (size_t i = 0; i < c->nfm_lines; i++) lm_free(c->fm_lines[i].file);
    lm_free(c->fm_lines);
    lm_free(c->readme_skills);
    lm_free(c->skills);
    lm_free(c->modules);
    lm_free(c->lessons);
    lm_free(c);
}

/* ---- lookup -------------------------------------------------------------- */

size_t lm_course_nmodules(const lm_course *c) { return c->nmodules; }
const lm_module *lm_course_module(const lm_course *c, size_t i) { return i < c->nmodules ? &c->modules[i] : NULL; }
const lm_module *lm_course_module_find(const lm_course *c, const char *id) {
    for (size_t i = 0; i < c->nmodules; i++)
        if (!strcmp(c->modules[i].id, id)) return &c->modules[i];
    return NULL;
}
size_t lm_course_nlessons(const lm_course *c) { return c->nlessons; }
const lm_lesson *lm_course_lesson(const lm_course *c, size_t i) { return i < c->nlessons ? &c->lessons[i] : NULL; }
const lm_lesson *lm_course_lesson_find(const lm_course *c, const char *id) {
    for (size_t i = 0; i < c->nlessons; i++)
        if (!strcmp(c->lessons[i].id, id)) return &c->lessons[i];
    return NULL;
}
size_t lm_course_lesson_index(const lm_course *c, const lm_lesson *l) {
    if (!l || l < c->lessons || l >= c->lessons + c->nlessons) return (size_t)-1;
    return (size_t)(l - c->lessons);
}
size_t lm_course_nskills(const lm_course *c) { return c->nskills; }
const lm_course_skill *lm_course_skill_at(const lm_course *c, size_t i) {
    return i < c->nskills ? &c->skills[i] : NULL;
}
const lm_course_skill *lm_course_skill_find(const lm_course *c, const char *id) {
    for (size_t i = 0; i < c->nskills; i++)
        if (!strcmp(c->skills[i].id, id)) return &c->skills[i];
    return NULL;
}

size_t lm_course_suggest(const lm_course *c, const char *id, const char **out, size_t max) {
    size_t n = 0;
    size_t *dist = lm_calloc(max ? max : 1, sizeof *dist);
    for (size_t i = 0; i < c->nlessons; i++) {
        const char *cand = c->lessons[i].id;
        size_t d = lm_edit_distance(id, cand);
        /* the slug alone ("vectors") or a prefix is as good as an exact match,
           and a slug typed with a slip ("vectorz") is near its lesson */
        const char *slash = strchr(cand, '/');
        if (slash && !strchr(id, '/')) {
            size_t ds = lm_edit_distance(id, slash + 1);
            if (ds < d) d = ds;
        }
        if ((slash && !strcmp(slash + 1, id)) || !strncmp(cand, id, strlen(id))) d = 0;
        else if (strstr(cand, id)) d = 1;
        if (d == (size_t)-1 || d > strlen(id) / 2 + 2) continue;
        size_t at = n;
        while (at > 0 && dist[at - 1] > d) at--;
        if (at >= max) continue;
        if (n < max) n++;
        memmove(&out[at + 1], &out[at], (n - 1 - at) * sizeof *out);
        memmove(&dist[at + 1], &dist[at], (n - 1 - at) * sizeof *dist);
        out[at] = cand;
        dist[at] = d;
    }
    lm_free(dist);
    return n;
}
