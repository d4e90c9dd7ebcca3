/*
 * meta.h: the decree's metadata of an outgoing document (Decree 30, Phụ lục VI, Phần II
 * §I "văn bản đi": OrganId, TypeName, CodeNumber, CodeNotation, IssuedDate, OrganName,
 * Subject, Language, PageAmount, SignerInfo, To, Priority, IssuedAmount, DueDate), built
 * from the document and its page count, written as the sidecar OUT.nd30.xml (schema:
 * templates/nd30-metadata.rng) and as XMP properties with their PDF/A extension schema.
 */
#ifndef VANBAN_META_H
#define VANBAN_META_H

#include <stddef.h>

#include "diag.h"
#include "document.h"

/* The namespace of the sidecar and of the XMP properties. */
#define META_NS "urn:vanban:nd30:1.0#"
#define META_PREFIX "nd30"

/* One recipient (To): mã định danh (empty when unknown) and name. */
struct meta_recipient {
    char *organ_id;
    char *organ_name;
};

/* The record; every string is UTF-8 and empty (never NULL) when the document leaves the
 * field blank: a blank e-office number or date gives an empty CodeNumber or IssuedDate. */
struct meta_record {
    char *organ_id;          /* mã định danh of the issuing agency */
    char *type_name;         /* "Kế hoạch" */
    char *code_number;       /* "125", "05"; as printed after "Số:" */
    char *code_notation;     /* "KH-UBND" */
    char *issued_date;       /* "2020-11-02" */
    char *organ_name;        /* the agency's lines joined: "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG" */
    char *subject;           /* the trích yếu */
    char *language;          /* "vi" */
    size_t page_amount;
    int signed_by;           /* the document has a signer (SignerInfo is written) */
    char *position;          /* the signer's chức vụ: "PHÓ CHỦ TỊCH" */
    char *full_name;         /* "Ngô Hùng" */
    struct meta_recipient *to;   /* Nơi nhận, "Như trên" replaced by the Kính gửi list */
    size_t to_count;
    int priority;            /* -1 when not given */
    int issued_amount;       /* 0 when not given */
    char *due_date;          /* hạn trả lời, "2020-12-05" */
};

/* Checks that the document's values fit the decree's field lengths (trích yếu 500
 * characters, agency 200, chức vụ 100, name 50, each recipient 200, type name 100); each
 * overflow is an error at its source line. */
enum vb_status meta_check(const struct document *doc, struct vb_diags *diags);

/* Fills rec from the document and its page count; returns 0, or -1 on allocation failure
 * (rec is then freed). */
int meta_build(const struct document *doc, size_t page_count, struct meta_record *rec);

/* Frees what rec owns. */
void meta_free(struct meta_record *rec);

/* Returns the sidecar document (UTF-8 XML, every field in the decree's order, empty
 * elements for blank fields) as a new string, *len its length; NULL on allocation failure. */
char *meta_sidecar(const struct meta_record *rec, size_t *len);

/* Returns the XMP fragment for a PDF/A packet: two rdf:Description elements, the PDF/A
 * extension schema describing the nd30 properties and the properties themselves (fields
 * of type Integer are left out when not given); NULL on allocation failure. */
char *meta_xmp(const struct meta_record *rec);

#endif
