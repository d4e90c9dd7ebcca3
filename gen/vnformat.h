/*
 * vnformat.h: Vietnamese formatting rules of Decree 30 and of CLDR "vi": dates with the
 * decree's zero rule, document numbers, grouped numbers and decimals.
 */
#ifndef VANBAN_VNFORMAT_H
#define VANBAN_VNFORMAT_H

#include <stddef.h>

/* A calendar date. */
struct vn_date {
    int year, month, day;
};

/* Parses an ISO date "YYYY-MM-DD" into *d; returns 0 on success, -1 if malformed or not a
 * real calendar day. */
int vn_date_parse(const char *iso, struct vn_date *d);

/* Writes "ngày 02 tháng 11 năm 2020" into buf with the decree's zero rule (days 01-09 and
 * months 01, 02 padded; months 3-12 never); returns buf. */
char *vn_date_words(const struct vn_date *d, char *buf, size_t size);

/* Writes a document number with the decree's padding (numbers below 10 get a leading 0:
 * "05"); returns buf. */
char *vn_doc_number(const char *digits, char *buf, size_t size);

/* Writes an integer with "." grouping from 4 digits up ("1.234.567", "-1.234"); returns buf. */
char *vn_group_int(long long value, char *buf, size_t size);

/* Writes value rounded to decimals places with "," as decimal mark and "." grouping
 * ("89,5", "1.977,7"); returns buf. */
char *vn_decimal(double value, int decimals, char *buf, size_t size);

/* Writes a Roman numeral (1 → "I", 14 → "XIV") for 1..3999; returns buf. */
char *vn_roman(int n, char *buf, size_t size);

/* Returns the Vietnamese điểm letter for the n-th point (1 → "a", 5 → "đ", 6 → "e",
 * 7 → "g"); f, j, w, z are skipped; NULL beyond the alphabet. */
const char *vn_point_letter(int n);

/* Returns the place name (địa danh, Decree 30 Phụ lục I) of a district-level unit: its name
 * without the leading administrative word ("Huyện Châu Thành" → "Châu Thành", "Thị xã
 * Vĩnh Châu" → "Vĩnh Châu", "Thành phố Sóc Trăng" → "Sóc Trăng"); any other name is
 * returned whole. Points into name. */
const char *vn_place_name(const char *name);

#endif
