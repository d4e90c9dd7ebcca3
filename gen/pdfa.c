/* pdfa.c: PDF/A-2b objects written through libharu's object API, see pdfa.h. */
#include "config.h"

#include "pdfa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <nettle/md5.h>

#include "pdfobj.h"
#include "xmlout.h"

#if HPDF_VERSION_ID != 20300
#error "pdfa.c reaches into libharu 2.3.0 structures (doc and page attributes): re-check them"
#endif

/* ---- XMP ---------------------------------------------------------------------------- */

/* "2020-11-02T08:00:00+07:00": the same instant and zone as the Info dates. */
static void xmp_date(time_t t, char *buf, size_t size)
{
    time_t local = t + 7 * 3600;
    struct tm tm;
    gmtime_r(&local, &tm);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void lang_alt(struct xmlout *x, const char *name, const char *value)
{
    xo_printf(x, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", name);
    xo_text(x, value);
    xo_printf(x, "</rdf:li></rdf:Alt></%s>\n", name);
}

/* Removes the spaces between a line end and a tag: the packet stays readable, about 1.5 KB
 * smaller in every PDF. Values are never touched: they hold no raw '<' (it is escaped).
 * Returns the new length. */
static size_t drop_indentation(char *s)
{
    char *out = s;
    for (const char *p = s; *p; p++) {
        *out++ = *p;
        if (*p == '\n') {
            const char *q = p + 1;
            while (*q == ' ')
                q++;
            if (*q == '<')
                p = q - 1;
        }
    }
    *out = 0;
    return (size_t)(out - s);
}

char *pdfa_xmp_packet(const struct pdfa_info *info, const char *extra, size_t *len)
{
    struct xmlout x = {0};
    /* the packet header's begin attribute is the UTF-8 byte order mark */
    xo_raw(&x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
               "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
               " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
               "  <rdf:Description rdf:about=\"\"\n"
               "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
               "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
               "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
               "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
               "   <pdfaid:part>2</pdfaid:part>\n"
               "   <pdfaid:conformance>B</pdfaid:conformance>\n"
               "   <dc:format>application/pdf</dc:format>\n");
    if (info->title)
        lang_alt(&x, "dc:title", info->title);
    if (info->author) {
        xo_raw(&x, "   <dc:creator><rdf:Seq><rdf:li>");
        xo_text(&x, info->author);
        xo_raw(&x, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    if (info->subject)
        lang_alt(&x, "dc:description", info->subject);
    xo_raw(&x, "   <dc:language><rdf:Bag><rdf:li>vi</rdf:li></rdf:Bag></dc:language>\n");
    if (info->keywords)
        xo_elem(&x, "   ", "pdf:Keywords", info->keywords);
    if (info->producer)
        xo_elem(&x, "   ", "pdf:Producer", info->producer);
    if (info->creator)
        xo_elem(&x, "   ", "xmp:CreatorTool", info->creator);
    if (info->has_date) {
        char date[64];
        xmp_date(info->date, date, sizeof date);
        xo_elem(&x, "   ", "xmp:CreateDate", date);
        xo_elem(&x, "   ", "xmp:ModifyDate", date);
        xo_elem(&x, "   ", "xmp:MetadataDate", date);
    }
    xo_raw(&x, "  </rdf:Description>\n");
    if (extra)
        xo_raw(&x, extra);
    xo_raw(&x, " </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    char *packet = xo_take(&x, NULL);
    size_t n = packet ? drop_indentation(packet) : 0;
    if (len)
        *len = n;
    return packet;
}

/* ---- ICC and OutputIntent ------------------------------------------------------------ */

static const char *check_icc(const unsigned char *icc, size_t len)
{
    if (len < 132)
        return "too short for an ICC profile";
    unsigned long declared = (unsigned long)icc[0] << 24 | (unsigned long)icc[1] << 16 |
                             (unsigned long)icc[2] << 8 | icc[3];
    if (memcmp(icc + 36, "acsp", 4) != 0 || declared != len)
        return "not an ICC profile (no 'acsp' signature, or a wrong length)";
    if (memcmp(icc + 16, "RGB ", 4) != 0)
        return "not an RGB profile";
    return NULL;
}

const char *pdfa_prepare_icc(const unsigned char *icc, size_t len, unsigned char **deflated,
                             size_t *deflated_len)
{
    const char *why = check_icc(icc, len);
    if (why)
        return why;
    struct pdfobj_buf z = {0};
    if (pdfobj_deflate(icc, len, 9, &z) != 0) {
        pdfobj_buf_free(&z);
        return "cannot compress it (out of memory)";
    }
    *deflated = z.data;
    *deflated_len = z.len;
    return NULL;
}

static HPDF_Doc_Rec *doc_of(HPDF_Doc pdf)
{
    return (HPDF_Doc_Rec *)pdf;
}

int pdfa_apply(HPDF_Doc pdf, const char *xmp, size_t xmp_len, const unsigned char *icc_deflated,
               size_t icc_deflated_len)
{
    HPDF_Doc_Rec *d = doc_of(pdf);
    HPDF_STATUS rc = HPDF_OK;
    d->pdf_version = HPDF_VER_17;

    /* the XMP stream stays unfiltered, so archives can read it without inflating */
    HPDF_Dict meta = HPDF_DictStream_New(d->mmgr, d->xref);
    if (!meta)
        return -1;
    meta->filter = HPDF_STREAM_FILTER_NONE;
    rc |= HPDF_Dict_AddName(meta, "Type", "Metadata");
    rc |= HPDF_Dict_AddName(meta, "Subtype", "XML");
    rc |= HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)xmp_len);
    rc |= HPDF_Dict_Add(d->catalog, "Metadata", meta);
    if (rc != HPDF_OK)
        return -1;

    HPDF_Dict profile = pdfobj_deflated_stream(pdf, icc_deflated, icc_deflated_len);
    if (!profile)
        return -1;
    rc |= HPDF_Dict_AddNumber(profile, "N", 3);
    HPDF_Dict intent = HPDF_Dict_New(d->mmgr);
    HPDF_Array intents = HPDF_Array_New(d->mmgr);
    if (rc != HPDF_OK || !intent || !intents)
        return -1;
    rc |= HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    rc |= HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    rc |= HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                        HPDF_String_New(d->mmgr, "sRGB IEC61966-2.1", NULL));
    rc |= HPDF_Dict_Add(intent, "Info", HPDF_String_New(d->mmgr, "sRGB IEC61966-2.1", NULL));
    rc |= HPDF_Dict_Add(intent, "DestOutputProfile", profile);
    rc |= HPDF_Array_Add(intents, intent);
    rc |= HPDF_Dict_Add(d->catalog, "OutputIntents", intents);
    return rc == HPDF_OK ? 0 : -1;
}

/* ---- the trailer ID ------------------------------------------------------------------ */

static void hash_str(struct md5_ctx *md5, const char *s)
{
    /* each value with its terminating NUL, so "ab"+"c" and "a"+"bc" differ */
    if (s)
        md5_update(md5, strlen(s) + 1, (const uint8_t *)s);
    else
        md5_update(md5, 1, (const uint8_t *)"");
}

int pdfa_set_id(HPDF_Doc pdf, const struct pdfa_info *info, const char *seed, size_t seed_len)
{
    HPDF_Doc_Rec *d = doc_of(pdf);
    struct md5_ctx md5;
    md5_init(&md5);
    for (HPDF_UINT p = 0; p < d->page_list->count; p++) {
        HPDF_Page page = HPDF_List_ItemAt(d->page_list, p);
        HPDF_Dict contents = ((HPDF_PageAttr)page->attr)->contents;
        HPDF_Stream s = contents ? contents->stream : NULL;
        HPDF_UINT bufs = s ? HPDF_MemStream_GetBufCount(s) : 0;
        for (HPDF_UINT b = 0; b < bufs; b++) {
            HPDF_UINT n = 0;
            HPDF_BYTE *bytes = HPDF_MemStream_GetBufPtr(s, b, &n);
            if (bytes && n)
                md5_update(&md5, n, bytes);
        }
        md5_update(&md5, 1, (const uint8_t *)"\f"); /* page boundary */
    }
    hash_str(&md5, info->title);
    hash_str(&md5, info->author);
    hash_str(&md5, info->subject);
    hash_str(&md5, info->keywords);
    hash_str(&md5, info->creator);
    hash_str(&md5, info->producer);
    char date[40] = "";
    if (info->has_date)
        snprintf(date, sizeof date, "%lld", (long long)info->date);
    hash_str(&md5, date);
    if (seed)
        md5_update(&md5, seed_len, (const uint8_t *)seed);
    HPDF_BYTE digest[MD5_DIGEST_SIZE];
    md5_digest(&md5, MD5_DIGEST_SIZE, digest);

    HPDF_Array id = HPDF_Array_New(d->mmgr);
    if (!id)
        return -1;
    HPDF_STATUS rc = HPDF_Dict_Add(d->trailer, "ID", id);
    rc |= HPDF_Array_Add(id, HPDF_Binary_New(d->mmgr, digest, MD5_DIGEST_SIZE));
    rc |= HPDF_Array_Add(id, HPDF_Binary_New(d->mmgr, digest, MD5_DIGEST_SIZE));
    return rc == HPDF_OK ? 0 : -1;
}
