/* pdfsign.c: the signature fields of every signature block, see pdfsign.h. */
#include "config.h"

#include "pdfsign.h"

#include <stdio.h>

#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>

#if HPDF_VERSION_ID != 20300
#error "pdfsign.c reaches into libharu 2.3.0 structures (the document record): re-check them"
#endif

int pdfsign_place(const struct lay_sign *sg, const struct font_metrics *m,
                  struct pdfsign_rect *signer, struct pdfsign_rect *seal)
{
    if (sg->name_y <= 0 || sg->top_y <= sg->name_y || sg->col_x1 <= sg->col_x0)
        return -1;
    /* the room under the last chức vụ line's descenders and over the name's ascenders */
    double top = sg->top_y + m->descent[FACE_BOLD] * LAY_BODY_SIZE / 1000.0;
    double bottom = sg->name_y + m->ascent[FACE_BOLD] * LAY_BODY_SIZE / 1000.0;
    double lo = sg->col_x0 + PDFSIGN_PAD_MM * LAY_MM, hi = sg->col_x1 - PDFSIGN_PAD_MM * LAY_MM;
    double w = PDFSIGN_SIGNER_MM * LAY_MM, d = sg->sealed ? PDFSIGN_SEAL_MM * LAY_MM : 0;
    /* the seal reaches d - w/3 left of the signer's field: both must fit the column */
    if (d > 0 && d + 2 * w / 3 > hi - lo)
        w = 1.5 * (hi - lo - d);
    else if (d == 0 && w > hi - lo)
        w = hi - lo;
    if (w <= 0)
        return -1;              /* a column narrower than the seal */
    /* centred on the block's lines, moved right when the seal would leave the column */
    double x0 = (sg->col_x0 + sg->col_x1) / 2 - w / 2;
    if (d > 0 && x0 + w / 3 - d < lo)
        x0 = lo + d - w / 3;
    *signer = (struct pdfsign_rect){.x0 = x0, .y0 = bottom, .x1 = x0 + w, .y1 = top};
    /* the seal covers the left third of the signature, centred on it vertically */
    double cy = (top + bottom) / 2, right = x0 + w / 3;
    *seal = d > 0 ? (struct pdfsign_rect){.x0 = right - d, .y0 = cy - d / 2, .x1 = right,
                                           .y1 = cy + d / 2}
                  : (struct pdfsign_rect){0};
    return 0;
}

static HPDF_Array rect_array(HPDF_MMgr mmgr, const struct pdfsign_rect *r)
{
    HPDF_Array a = HPDF_Array_New(mmgr);
    if (!a)
        return NULL;
    HPDF_STATUS rc = HPDF_Array_AddReal(a, (HPDF_REAL)r->x0);
    rc |= HPDF_Array_AddReal(a, (HPDF_REAL)r->y0);
    rc |= HPDF_Array_AddReal(a, (HPDF_REAL)r->x1);
    rc |= HPDF_Array_AddReal(a, (HPDF_REAL)r->y1);
    return rc == HPDF_OK ? a : NULL;
}

/* An empty form XObject of the field's size: the widget's normal appearance until the
 * signing application draws the signature or seal image. */
static HPDF_Dict empty_appearance(HPDF_Doc_Rec *d, const struct pdfsign_rect *r)
{
    HPDF_Dict form = HPDF_DictStream_New(d->mmgr, d->xref);
    if (!form)
        return NULL;
    struct pdfsign_rect box = {0, 0, r->x1 - r->x0, r->y1 - r->y0};
    HPDF_Array bbox = rect_array(d->mmgr, &box);
    HPDF_Dict resources = HPDF_Dict_New(d->mmgr);
    if (!bbox || !resources)
        return NULL;
    HPDF_STATUS rc = HPDF_Dict_AddName(form, "Type", "XObject");
    rc |= HPDF_Dict_AddName(form, "Subtype", "Form");
    rc |= HPDF_Dict_Add(form, "BBox", bbox);
    rc |= HPDF_Dict_Add(form, "Resources", resources);
    return rc == HPDF_OK ? form : NULL;
}

/* A signature field merged with its widget annotation on page. */
static HPDF_Dict sig_field(HPDF_Doc_Rec *d, HPDF_Page page, const struct pdfsign_rect *r,
                           const char *name, const char *label)
{
    HPDF_Dict w = HPDF_Dict_New(d->mmgr);
    if (!w || HPDF_Xref_Add(d->xref, w) != HPDF_OK)
        return NULL;
    HPDF_Array rect = rect_array(d->mmgr, r);
    HPDF_Dict ap = HPDF_Dict_New(d->mmgr);
    HPDF_Dict normal = empty_appearance(d, r);
    HPDF_Encoder utf8 = HPDF_GetEncoder(d, "UTF-8");
    if (!rect || !ap || !normal || !utf8)
        return NULL;
    HPDF_STATUS rc = HPDF_Dict_AddName(w, "Type", "Annot");
    rc |= HPDF_Dict_AddName(w, "Subtype", "Widget");
    rc |= HPDF_Dict_AddName(w, "FT", "Sig");
    rc |= HPDF_Dict_Add(w, "T", HPDF_String_New(d->mmgr, name, NULL));
    rc |= HPDF_Dict_Add(w, "TU", HPDF_String_New(d->mmgr, label, utf8));
    rc |= HPDF_Dict_AddNumber(w, "F", 4); /* Print; never Hidden, Invisible or NoView */
    rc |= HPDF_Dict_Add(w, "Rect", rect);
    rc |= HPDF_Dict_Add(w, "P", page);
    rc |= HPDF_Dict_Add(ap, "N", normal);
    rc |= HPDF_Dict_Add(w, "AP", ap);
    return rc == HPDF_OK ? w : NULL;
}

/* Adds field to page's /Annots (made when the page has none) and to list; returns 0 or -1. */
static int attach(HPDF_Doc_Rec *d, HPDF_Page page, HPDF_Array list, HPDF_Dict field)
{
    HPDF_Array annots = HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY);
    if (!annots) {
        annots = HPDF_Array_New(d->mmgr);
        if (!annots || HPDF_Dict_Add(page, "Annots", annots) != HPDF_OK)
            return -1;
    }
    HPDF_STATUS rc = HPDF_Array_Add(annots, field);
    rc |= HPDF_Array_Add(list, field);
    return rc == HPDF_OK ? 0 : -1;
}

int pdfsign_add_fields(HPDF_Doc pdf, const struct lay_doc *ld, const struct font_metrics *m)
{
    HPDF_Doc_Rec *d = (HPDF_Doc_Rec *)pdf;
    HPDF_Array list = NULL;
    for (size_t s = 0; s < ld->sign_count && s < LAY_MAX_SIGNERS; s++) {
        const struct lay_sign *sg = &ld->signs[s];
        struct pdfsign_rect signer, seal;
        if (sg->page >= ld->page_count || pdfsign_place(sg, m, &signer, &seal) != 0)
            continue;           /* nothing to sign */
        HPDF_Page page = HPDF_GetPageByIndex(pdf, (HPDF_UINT)sg->page);
        if (!page || (!list && !(list = HPDF_Array_New(d->mmgr))))
            return -1;
        /* the lead signer's fields keep their plain names; the others' take their number */
        char signer_name[32] = "chu_ky_nguoi_ky", seal_name[32] = "chu_ky_co_quan";
        char signer_label[96] = "Chữ ký số của người có thẩm quyền";
        char seal_label[96] = "Chữ ký số của cơ quan (hình ảnh dấu)";
        if (s > 0) {
            snprintf(signer_name, sizeof signer_name, "chu_ky_nguoi_ky_%zu", s + 1);
            snprintf(seal_name, sizeof seal_name, "chu_ky_co_quan_%zu", s + 1);
            snprintf(signer_label, sizeof signer_label,
                     "Chữ ký số của người có thẩm quyền (khối chữ ký %zu)", s + 1);
            snprintf(seal_label, sizeof seal_label,
                     "Chữ ký số của cơ quan (hình ảnh dấu, khối chữ ký %zu)", s + 1);
        }
        HPDF_Dict f = sig_field(d, page, &signer, signer_name, signer_label);
        if (!f || attach(d, page, list, f) != 0)
            return -1;
        if (sg->sealed) {
            f = sig_field(d, page, &seal, seal_name, seal_label);
            if (!f || attach(d, page, list, f) != 0)
                return -1;
        }
    }
    if (!list)
        return 0;
    HPDF_Dict form = HPDF_Dict_New(d->mmgr);
    if (!form)
        return -1;
    HPDF_STATUS rc = HPDF_Dict_Add(form, "Fields", list);
    rc |= HPDF_Dict_AddNumber(form, "SigFlags", 1);
    rc |= HPDF_Dict_Add(d->catalog, "AcroForm", form);
    return rc == HPDF_OK ? 0 : -1;
}
