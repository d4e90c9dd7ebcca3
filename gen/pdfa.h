/*
 * pdfa.h: PDF/A-2b through libharu 2.3.0's object API (its own HPDF_PDFA_* code writes
 * /SubType, unescaped XMP, ctime IDs and PDF/A-1 only): the XMP metadata packet agreeing
 * with the Info dictionary, the sRGB OutputIntent, PDF 1.7 and a content-derived trailer
 * /ID.
 */
#ifndef VANBAN_PDFA_H
#define VANBAN_PDFA_H

#include <stddef.h>
#include <time.h>

#include <hpdf.h>

/* The document's information, as written in the Info dictionary (UTF-8; NULL: absent). */
struct pdfa_info {
    const char *title;       /* dc:title */
    const char *author;      /* dc:creator */
    const char *subject;     /* dc:description */
    const char *keywords;    /* pdf:Keywords */
    const char *creator;     /* xmp:CreatorTool */
    const char *producer;    /* pdf:Producer */
    time_t date;             /* xmp:CreateDate and xmp:ModifyDate, written at +07:00 */
    int has_date;
};

/* Returns the XMP packet (UTF-8, unfiltered-ready) for PDF/A-2b with the info's values and
 * the extra rdf:Description elements (may be NULL); NULL on allocation failure. */
char *pdfa_xmp_packet(const struct pdfa_info *info, const char *extra, size_t *len);

/* Checks that the bytes are an ICC profile for RGB (what the OutputIntent needs) and
 * deflates them once for every document of the process: *deflated (to free) and
 * *deflated_len. Returns NULL, else the reason (nothing allocated). */
const char *pdfa_prepare_icc(const unsigned char *icc, size_t len, unsigned char **deflated,
                             size_t *deflated_len);

/* Makes the document PDF/A-2b: PDF 1.7, the XMP packet as the catalog's /Metadata stream
 * (/Type /Metadata /Subtype /XML, no filter) and a GTS_PDFA1 OutputIntent whose
 * DestOutputProfile is the sRGB profile (/N 3) as pdfa_prepare_icc deflated it. Returns 0,
 * or -1 on a libharu failure. */
int pdfa_apply(HPDF_Doc pdf, const char *xmp, size_t xmp_len, const unsigned char *icc_deflated,
               size_t icc_deflated_len);

/* Sets the trailer /ID to two copies of the MD5 of every page's contents stream (as stored,
 * deflated), the info
 * values and the seed (the XMP packet): the same document gives the same ID, another
 * document another one. Call after the pages are drawn. Returns 0 or -1. */
int pdfa_set_id(HPDF_Doc pdf, const struct pdfa_info *info, const char *seed,
                size_t seed_len);

#endif
