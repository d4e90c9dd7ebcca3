/* meta.c: the ND30 metadata record, its sidecar and its XMP form, see meta.h. */
#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xmlout.h"

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

static char *text_or_empty(const struct doc_text *t)
{
    char *s = t && t->count ? doc_text_plain(t) : NULL;
    return s ? s : strdup("");
}

/* Joins the plain text of several lines with spaces. */
static char *join_lines(const struct doc_text *lines, size_t n)
{
    struct xmlout x = {0};
    for (size_t i = 0; i < n; i++) {
        char *line = doc_text_plain(&lines[i]);
        if (!line)
            x.failed = 1;
        else if (*line) {
            if (x.len)
                xo_raw(&x, " ");
            xo_raw(&x, line);
        }
        free(line);
    }
    return xo_take(&x, NULL);
}

/* OrganName: the issuing agency's lines joined; a liên tịch's agencies separated by "; ",
 * the lead agency first. */
static char *organ_name(const struct document *doc)
{
    struct xmlout x = {0};
    for (size_t i = 0; i < doc->agency_count; i++) {
        char *one = join_lines(doc->agencies[i].lines, doc->agencies[i].line_count);
        if (!one)
            x.failed = 1;
        else {
            if (i)
                xo_raw(&x, "; ");
            xo_raw(&x, one);
        }
        free(one);
    }
    return xo_take(&x, NULL);
}

/* The signer's own chức vụ: the last line of the block without its quyền hạn prefix
 * ("KT. CHỦ TỊCH" → "CHỦ TỊCH"). */
static char *signer_position(const struct doc_signature *s)
{
    if (!s->line_count)
        return strdup("");
    char *line = doc_text_plain(&s->lines[s->line_count - 1]);
    if (!line)
        return NULL;
    static const char *const prefixes[] = {"TM. ", "KT. ", "Q. ", "TL. ", "TUQ. "};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(line, prefixes[i], n) == 0) {
            memmove(line, line + n, strlen(line + n) + 1);
            break;
        }
    }
    return line;
}

static int is_nhu_tren(const char *name)
{
    return strcmp(name, "Như trên") == 0 || strcmp(name, "như trên") == 0;
}

static int add_recipient(struct meta_record *rec, const struct doc_text *t, const char *id)
{
    struct meta_recipient *grown = realloc(rec->to, (rec->to_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    rec->to = grown;
    struct meta_recipient *r = &grown[rec->to_count];
    r->organ_name = text_or_empty(t);
    r->organ_id = dup_or_empty(id);
    if (!r->organ_name || !r->organ_id) {
        free(r->organ_name);
        free(r->organ_id);
        return -1;
    }
    rec->to_count++;
    return 0;
}

static int add_recipients(struct meta_record *rec, const struct document *doc)
{
    for (size_t i = 0; i < doc->noi_nhan_count; i++) {
        char *name = doc_text_plain(&doc->noi_nhan[i]);
        if (!name)
            return -1;
        int same_as_above = is_nhu_tren(name) && doc->kinh_gui_count;
        free(name);
        if (same_as_above) {
            for (size_t k = 0; k < doc->kinh_gui_count; k++)
                if (add_recipient(rec, &doc->kinh_gui[k],
                                  doc->kinh_gui_id ? doc->kinh_gui_id[k] : NULL))
                    return -1;
        } else if (add_recipient(rec, &doc->noi_nhan[i],
                                 doc->noi_nhan_id ? doc->noi_nhan_id[i] : NULL)) {
            return -1;
        }
    }
    return 0;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Reports value (made from t) when it is longer than max characters. */
static int check_length(const struct document *doc, const struct doc_text *t, const char *value,
                        size_t max, const char *field, const char *what, struct vb_diags *diags)
{
    size_t n = value ? utf8_chars(value) : 0;
    if (n <= max)
        return 0;
    struct doc_loc at = t ? t->loc : (struct doc_loc){0, 0};
    diag_error(diags, VB_EINPUT, doc->source, at.line, at.col,
               "%s has %zu characters; the decree's metadata (%s) allows %zu", what, n, field,
               max);
    return 1;
}

enum vb_status meta_check(const struct document *doc, struct vb_diags *diags)
{
    struct meta_record rec;
    if (meta_build(doc, 1, &rec) != 0)
        return diag_error(diags, VB_EINTERNAL, doc->source, 0, 0, "out of memory");
    static const struct doc_signature unsigned_doc;   /* a document without its closing */
    const struct doc_signature *sig = doc->signature_count ? &doc->signatures[0] : &unsigned_doc;
    const struct doc_text *last_sign =
        sig->line_count ? &sig->lines[sig->line_count - 1] : &sig->name;
    int bad = check_length(doc, &doc->trich_yeu, rec.subject, 500, "Subject", "the trích yếu",
                           diags);
    bad += check_length(doc, doc->agencies[0].line_count ? &doc->agencies[0].lines[0] : NULL,
                        rec.organ_name, 200,
                        "OrganName", "the agency's name", diags);
    bad += check_length(doc, &doc->type_name, rec.type_name, 100, "TypeName", "the type name",
                        diags);
    bad += check_length(doc, last_sign, rec.position, 100, "Position", "the signer's chức vụ",
                        diags);
    bad += check_length(doc, &sig->name, rec.full_name, 50, "FullName",
                        "the signer's name", diags);
    for (size_t i = 0; i < doc->noi_nhan_count; i++) {
        char *name = doc_text_plain(&doc->noi_nhan[i]);
        bad += check_length(doc, &doc->noi_nhan[i], name, 200, "To/OrganName", "a recipient",
                            diags);
        free(name);
    }
    for (size_t i = 0; i < doc->kinh_gui_count; i++) {
        char *name = doc_text_plain(&doc->kinh_gui[i]);
        bad += check_length(doc, &doc->kinh_gui[i], name, 200, "To/OrganName", "a recipient",
                            diags);
        free(name);
    }
    meta_free(&rec);
    return bad ? VB_EINPUT : VB_OK;
}

int meta_build(const struct document *doc, size_t page_count, struct meta_record *rec)
{
    memset(rec, 0, sizeof *rec);
    char code[96], date[16] = "";
    doc_code(doc, code, sizeof code);
    char *slash = strchr(code, '/');
    if (slash)
        *slash = 0;
    if (doc->has_date)
        snprintf(date, sizeof date, "%04d-%02d-%02d", doc->date.year, doc->date.month,
                 doc->date.day);
    char *type = text_or_empty(&doc->type_name);
    rec->type_name = type ? text_sentence_case(type) : NULL;
    free(type);
    rec->organ_id = dup_or_empty(doc->agencies[0].organ_id);
    rec->code_number = strdup(slash ? code : "");
    rec->code_notation = strdup(slash ? slash + 1 : code);
    rec->issued_date = strdup(date);
    rec->organ_name = organ_name(doc);
    rec->subject = text_or_empty(&doc->trich_yeu);
    rec->language = strdup("vi");
    rec->page_amount = page_count;
    rec->signed_by = doc->signature_count > 0;
    rec->position = rec->signed_by ? signer_position(&doc->signatures[0]) : strdup("");
    rec->full_name = rec->signed_by ? text_or_empty(&doc->signatures[0].name) : strdup("");
    rec->priority = doc->priority;
    rec->issued_amount = doc->issued_amount;
    date[0] = 0;
    if (doc->has_due_date)
        snprintf(date, sizeof date, "%04d-%02d-%02d", doc->due_date.year,
                 doc->due_date.month, doc->due_date.day);
    rec->due_date = strdup(date);
    if (!rec->organ_id || !rec->type_name || !rec->code_number || !rec->code_notation ||
        !rec->issued_date || !rec->organ_name || !rec->subject || !rec->language ||
        !rec->position || !rec->full_name || !rec->due_date || add_recipients(rec, doc)) {
        meta_free(rec);
        return -1;
    }
    return 0;
}

void meta_free(struct meta_record *rec)
{
    free(rec->organ_id);
    free(rec->type_name);
    free(rec->code_number);
    free(rec->code_notation);
    free(rec->issued_date);
    free(rec->organ_name);
    free(rec->subject);
    free(rec->language);
    free(rec->position);
    free(rec->full_name);
    for (size_t i = 0; i < rec->to_count; i++) {
        free(rec->to[i].organ_id);
        free(rec->to[i].organ_name);
    }
    free(rec->to);
    free(rec->due_date);
    memset(rec, 0, sizeof *rec);
}

/* ---- the sidecar -------------------------------------------------------------------- */

char *meta_sidecar(const struct meta_record *rec, size_t *len)
{
    struct xmlout x = {0};
    char num[32];
    xo_raw(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<!-- Decree 30/2020/NĐ-CP, Phụ lục VI, Phần II §I: metadata of an outgoing "
               "document (văn bản đi). Schema: nd30-metadata.rng -->\n");
    xo_raw(&x, "<OutgoingDocument xmlns=\"" META_NS "\">\n");
    xo_elem(&x, "  ", "OrganId", rec->organ_id);
    xo_elem(&x, "  ", "TypeName", rec->type_name);
    xo_elem(&x, "  ", "CodeNumber", rec->code_number);
    xo_elem(&x, "  ", "CodeNotation", rec->code_notation);
    xo_elem(&x, "  ", "IssuedDate", rec->issued_date);
    xo_elem(&x, "  ", "OrganName", rec->organ_name);
    xo_elem(&x, "  ", "Subject", rec->subject);
    xo_elem(&x, "  ", "Language", rec->language);
    snprintf(num, sizeof num, "%zu", rec->page_amount);
    xo_elem(&x, "  ", "PageAmount", num);
    if (rec->signed_by) {
        xo_raw(&x, "  <SignerInfo>\n");
        xo_elem(&x, "    ", "Position", rec->position);
        xo_elem(&x, "    ", "FullName", rec->full_name);
        xo_raw(&x, "  </SignerInfo>\n");
    }
    for (size_t i = 0; i < rec->to_count; i++) {
        xo_raw(&x, "  <To>\n");
        xo_elem(&x, "    ", "OrganId", rec->to[i].organ_id);
        xo_elem(&x, "    ", "OrganName", rec->to[i].organ_name);
        xo_raw(&x, "  </To>\n");
    }
    snprintf(num, sizeof num, "%d", rec->priority);
    xo_elem(&x, "  ", "Priority", rec->priority >= 0 ? num : "");
    snprintf(num, sizeof num, "%d", rec->issued_amount);
    xo_elem(&x, "  ", "IssuedAmount", rec->issued_amount > 0 ? num : "");
    xo_elem(&x, "  ", "DueDate", rec->due_date);
    xo_raw(&x, "</OutgoingDocument>\n");
    return xo_take(&x, len);
}

/* ---- XMP ---------------------------------------------------------------------------- */

/* The nd30 properties: name, XMP value type, description for the extension schema. */
static const struct {
    const char *name, *type, *description;
} properties[] = {
    {"OrganId", "Text", "Mã định danh cơ quan ban hành"},
    {"TypeName", "Text", "Tên loại văn bản"},
    {"CodeNumber", "Text", "Số của văn bản (trống: Hệ thống cấp số)"},
    {"CodeNotation", "Text", "Ký hiệu văn bản"},
    {"IssuedDate", "Text", "Ngày, tháng, năm văn bản, YYYY-MM-DD (trống: Hệ thống ghi)"},
    {"OrganName", "Text", "Tên cơ quan, tổ chức ban hành văn bản"},
    {"Subject", "Text", "Trích yếu nội dung"},
    {"Language", "Text", "Ngôn ngữ"},
    {"PageAmount", "Integer", "Số trang của văn bản"},
    {"SignerInfo", "SignerInfo", "Chức vụ, họ tên người ký"},
    {"To", "Seq Recipient", "Nơi nhận"},
    {"Priority", "Integer", "Mức độ khẩn, độ mật"},
    {"IssuedAmount", "Integer", "Số lượng bản phát hành"},
    {"DueDate", "Text", "Hạn trả lời văn bản, YYYY-MM-DD"},
};

static void schema_field(struct xmlout *x, const char *name, const char *description)
{
    xo_raw(x, "       <rdf:li rdf:parseType=\"Resource\">\n");
    xo_printf(x, "        <pdfaField:name>%s</pdfaField:name>\n", name);
    xo_raw(x, "        <pdfaField:valueType>Text</pdfaField:valueType>\n");
    xo_elem(x, "        ", "pdfaField:description", description);
    xo_raw(x, "       </rdf:li>\n");
}

static void schema_type(struct xmlout *x, const char *type, const char *description,
                        const char *f1, const char *d1, const char *f2, const char *d2)
{
    xo_raw(x, "     <rdf:li rdf:parseType=\"Resource\">\n");
    xo_printf(x, "      <pdfaType:type>%s</pdfaType:type>\n", type);
    xo_raw(x, "      <pdfaType:namespaceURI>" META_NS "</pdfaType:namespaceURI>\n");
    xo_raw(x, "      <pdfaType:prefix>" META_PREFIX "</pdfaType:prefix>\n");
    xo_elem(x, "      ", "pdfaType:description", description);
    xo_raw(x, "      <pdfaType:field><rdf:Seq>\n");
    schema_field(x, f1, d1);
    schema_field(x, f2, d2);
    xo_raw(x, "      </rdf:Seq></pdfaType:field>\n");
    xo_raw(x, "     </rdf:li>\n");
}

static void extension_schema(struct xmlout *x)
{
    xo_raw(x, "  <rdf:Description rdf:about=\"\"\n"
              "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
              "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
              "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\"\n"
              "    xmlns:pdfaType=\"http://www.aiim.org/pdfa/ns/type#\"\n"
              "    xmlns:pdfaField=\"http://www.aiim.org/pdfa/ns/field#\">\n"
              "   <pdfaExtension:schemas><rdf:Bag>\n"
              "    <rdf:li rdf:parseType=\"Resource\">\n");
    xo_elem(x, "     ", "pdfaSchema:schema",
            "Nghị định 30/2020/NĐ-CP, Phụ lục VI: dữ liệu quản lý văn bản đi");
    xo_raw(x, "     <pdfaSchema:namespaceURI>" META_NS "</pdfaSchema:namespaceURI>\n"
              "     <pdfaSchema:prefix>" META_PREFIX "</pdfaSchema:prefix>\n"
              "     <pdfaSchema:property><rdf:Seq>\n");
    for (size_t i = 0; i < sizeof properties / sizeof properties[0]; i++) {
        xo_raw(x, "      <rdf:li rdf:parseType=\"Resource\">\n");
        xo_printf(x, "       <pdfaProperty:name>%s</pdfaProperty:name>\n", properties[i].name);
        xo_printf(x, "       <pdfaProperty:valueType>%s</pdfaProperty:valueType>\n",
                  properties[i].type);
        xo_raw(x, "       <pdfaProperty:category>external</pdfaProperty:category>\n");
        xo_elem(x, "       ", "pdfaProperty:description", properties[i].description);
        xo_raw(x, "      </rdf:li>\n");
    }
    xo_raw(x, "     </rdf:Seq></pdfaSchema:property>\n"
              "     <pdfaSchema:valueType><rdf:Seq>\n");
    schema_type(x, "SignerInfo", "Chức vụ, họ tên người ký", "Position", "Chức vụ",
                "FullName", "Họ và tên");
    schema_type(x, "Recipient", "Cơ quan nhận", "OrganId", "Mã định danh cơ quan nhận",
                "OrganName", "Tên cơ quan nhận");
    xo_raw(x, "     </rdf:Seq></pdfaSchema:valueType>\n"
              "    </rdf:li>\n"
              "   </rdf:Bag></pdfaExtension:schemas>\n"
              "  </rdf:Description>\n");
}

char *meta_xmp(const struct meta_record *rec)
{
    struct xmlout x = {0};
    char num[32];
    const char *in = "   ";
    extension_schema(&x);
    xo_raw(&x, "  <rdf:Description rdf:about=\"\" xmlns:" META_PREFIX "=\"" META_NS "\">\n");
    xo_elem(&x, in, "nd30:OrganId", rec->organ_id);
    xo_elem(&x, in, "nd30:TypeName", rec->type_name);
    xo_elem(&x, in, "nd30:CodeNumber", rec->code_number);
    xo_elem(&x, in, "nd30:CodeNotation", rec->code_notation);
    xo_elem(&x, in, "nd30:IssuedDate", rec->issued_date);
    xo_elem(&x, in, "nd30:OrganName", rec->organ_name);
    xo_elem(&x, in, "nd30:Subject", rec->subject);
    xo_elem(&x, in, "nd30:Language", rec->language);
    snprintf(num, sizeof num, "%zu", rec->page_amount);
    xo_elem(&x, in, "nd30:PageAmount", num);
    if (rec->signed_by) {
        xo_raw(&x, "   <nd30:SignerInfo rdf:parseType=\"Resource\">\n");
        xo_elem(&x, "    ", "nd30:Position", rec->position);
        xo_elem(&x, "    ", "nd30:FullName", rec->full_name);
        xo_raw(&x, "   </nd30:SignerInfo>\n");
    }
    if (rec->to_count) {
        xo_raw(&x, "   <nd30:To><rdf:Seq>\n");
        for (size_t i = 0; i < rec->to_count; i++) {
            xo_raw(&x, "    <rdf:li rdf:parseType=\"Resource\">\n");
            if (*rec->to[i].organ_id)
                xo_elem(&x, "     ", "nd30:OrganId", rec->to[i].organ_id);
            xo_elem(&x, "     ", "nd30:OrganName", rec->to[i].organ_name);
            xo_raw(&x, "    </rdf:li>\n");
        }
        xo_raw(&x, "   </rdf:Seq></nd30:To>\n");
    }
    if (rec->priority >= 0) {
        snprintf(num, sizeof num, "%d", rec->priority);
        xo_elem(&x, in, "nd30:Priority", num);
    }
    if (rec->issued_amount > 0) {
        snprintf(num, sizeof num, "%d", rec->issued_amount);
        xo_elem(&x, in, "nd30:IssuedAmount", num);
    }
    xo_elem(&x, in, "nd30:DueDate", rec->due_date);
    xo_raw(&x, "  </rdf:Description>\n");
    return xo_take(&x, NULL);
}
