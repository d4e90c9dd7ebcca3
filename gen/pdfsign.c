/* pdfsign.c: the two signature fields, see pdfsign.h. */
#include "config.h"

#include "pdfsign.h"

#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>

#if HPDF_VERSION_ID != 20300
#error "pdfsign.c reaches into libharu 2.3.0 structures (the document record): re-check them"
#endif

int pdfsign_place(const struct lay_doc *ld, const struct font_metrics *m,
                  struct pdfsign_rect *signer, struct pdfsign_rect *seal)
{
    if (ld->sign_name_y <= 0 || ld->sign_top_y <= ld->sign_name_y || ld->sign_page >= ld->page_count)
        return -1;
    /* the room under the last chức vụ line's descenders and over the name's ascenders */
    double top = ld->sign_top_y + m->descent[FACE_BOLD] * LAY_BODY_SIZE / 1000.0;
    double bottom = ld->sign_name_y + m->ascent[FACE_BOLD] * LAY_BODY_SIZE / 1000.0;
    double w = PDFSIGN_SIGNER_MM * LAY_MM;
    *signer = (struct pdfsign_rect){.x0 = ld->sign_center_x - w / 2, .y0 = bottom,
                                    .x1 = ld->sign_center_x + w / 2, .y1 = top};
    /* the seal covers the left third of the signature, centred on it vertically */
    double d = PDFSIGN_SEAL_MM * LAY_MM, cy = (top + bottom) / 2;
    double right = signer->x0 + w / 3;
    *seal = (struct pdfsign_rect){.x0 = right - d, .y0 = cy - d / 2, .x1 = right, .y1 = cy + d / 2};
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

int pdfsign_add_fields(HPDF_Doc pdf, const struct lay_doc *ld, const struct font_metrics *m)
{
    HPDF_Doc_Rec *d = (HPDF_Doc_Rec *)pdf;
    struct pdfsign_rect signer, seal;
    if (pdfsign_place(ld, m, &signer, &seal) != 0)
        return 0; /* nothing to sign */
    HPDF_Page page = HPDF_GetPageByIndex(pdf, (HPDF_UINT)ld->sign_page);
    if (!page)
        return -1;
    HPDF_Dict fields[2] = {
        sig_field(d, page, &signer, "chu_ky_nguoi_ky", "Chữ ký số của người có thẩm quyền"),
        sig_field(d, page, &seal, "chu_ky_co_quan", "Chữ ký số của cơ quan (hình ảnh dấu)"),
    };
    if (!fields[0] || !fields[1])
        return -1;
    HPDF_Array annots = HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY);
    HPDF_STATUS rc = HPDF_OK;
    if (!annots) {
        annots = HPDF_Array_New(d->mmgr);
        if (!annots || HPDF_Dict_Add(page, "Annots", annots) != HPDF_OK)
            return -1;
    }
    HPDF_Array list = HPDF_Array_New(d->mmgr);
    HPDF_Dict form = HPDF_Dict_New(d->mmgr);
    if (!list || !form)
        return -1;
    for (int i = 0; i < 2; i++) {
        rc |= HPDF_Array_Add(annots, fields[i]);
        rc |= HPDF_Array_Add(list, fields[i]);
    }
    rc |= HPDF_Dict_Add(form, "Fields", list);
    rc |= HPDF_Dict_AddNumber(form, "SigFlags", 1);
    rc |= HPDF_Dict_Add(d->catalog, "AcroForm", form);
    return rc == HPDF_OK ? 0 : -1;
}
