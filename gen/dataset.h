/*
 * dataset.h: the unit exports of the annual consolidation, read and checked: every unit's
 * CSV rows (contract below) turned into typed records, one per unit and year, keyed by the
 * units directory (samples/units.csv). Memory is bounded by the number of units, not rows.
 *
 * The export contract (one row per unit and year, header row, column order free, extra
 * columns kept): ma_don_vi, ten_don_vi (text, required), nam (integer, required), the
 * counts and the amount listed in enum ds_field, ghi_chu (free text). An empty cell means
 * "not applicable to this unit", never zero.
 */
#ifndef VANBAN_DATASET_H
#define VANBAN_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* The numeric columns of the contract, in contract order. */
enum ds_field {
    DS_SO_DOANH_NGHIEP,              /* enterprises in the area */
    DS_SO_DN_CO_CDCS,                /* of which with a grassroots trade union */
    DS_SO_DN_CDCS_QHLD_HAI_HOA,      /* of those, harmonious labour relations */
    DS_SO_DN_CDCS_CO_TULDTT,         /* of those, signed a collective agreement */
    DS_SO_TULDTT_CO_LOI_HON,         /* agreements more favourable than the law */
    DS_SO_CUOC_DOI_THOAI,            /* workplace dialogues */
    DS_SO_VU_TRANH_CHAP,             /* labour disputes */
    DS_SO_VU_TRANH_CHAP_DA_GIAI_QUYET, /* of which resolved */
    DS_SO_CUOC_NGUNG_VIEC,           /* strikes and work stoppages */
    DS_SO_NGUOI_NGUNG_VIEC,          /* workers involved */
    DS_SO_CUOC_THANH_TRA_KIEM_TRA,   /* inspections */
    DS_SO_VU_VI_PHAM_XU_LY,          /* violations sanctioned */
    DS_TIEN_PHAT,                    /* fines, đồng (an amount) */
    DS_SO_HOA_GIAI_VIEN,             /* labour mediators appointed */
    DS_SO_LOP_TAP_HUAN,              /* training courses */
    DS_SO_LUOT_NGUOI_TAP_HUAN,       /* trainees */
    DS_SO_CUOC_TUYEN_TRUYEN,         /* awareness sessions */
    DS_FIELD_COUNT
};

/* Returns the CSV column name of a field ("so_doanh_nghiep"). */
const char *ds_field_name(enum ds_field f);

/* One unit of the directory (samples/units.csv: code, name, level, order). */
struct ds_unit {
    char *code;            /* ma_don_vi */
    char *name;            /* official name */
    char *level;           /* e.g. "huyen", "thi_xa", "thanh_pho", "ban", "doan_the" */
    long order;            /* position in reports */
};

/* An extra (non-contract) column value of a record. */
struct ds_extra {
    char *name;
    char *value;
};

/* One unit's figures for one year. */
struct ds_record {
    const struct ds_unit *unit;   /* directory entry */
    int year;
    int64_t value[DS_FIELD_COUNT];
    unsigned char present[DS_FIELD_COUNT]; /* 0: empty cell, "not applicable" */
    char *ten_don_vi;             /* name as the unit wrote it */
    char *ghi_chu;                /* remarks, may be NULL */
    struct ds_extra *extra;
    size_t extra_count;
    char *file;                   /* where the row came from */
    long line;
    long col[DS_FIELD_COUNT];     /* the column of each figure's cell (1-based) */
};

/* Says why the len bytes of a text of the exports or of the units directory cannot be
 * printed (the font has no glyph for one of its characters), or NULL when they can;
 * *offset receives the byte offset of the character at fault. A text it accepts holds no
 * control character but tab and line breaks (no font draws one), so the reader looks for
 * them only in a text it refuses, to say so first. */
typedef const char *ds_text_check(void *ctx, const char *text, size_t len, size_t *offset);

/* How to read the export files. */
struct ds_read_options {
    const char *encoding;   /* NULL: detect (UTF-8 with or without BOM, CP1258, TCVN3) */
    char delimiter;         /* 0: detect (',' ';' or tab, or Excel's "sep=" line) */
    int keep_from, keep_to; /* keep only records of these years (0: all, -1: none); rows
                               of other years are still checked */
    int year;               /* the year the exports are read for: a row of another year is
                               named in a warning and not counted (0: any year) */
    const char *sheet;      /* the sheet of a workbook to read (NULL: the first) */
    size_t max_row_bytes;   /* limits of one row (0: INGEST_MAX_ROW_BYTES, ...COLUMNS) */
    size_t max_columns;
    ds_text_check *check_text;  /* every text that may be printed (names, remarks, extra
                                   columns) is checked with it, or NULL */
    void *check_ctx;
};

/* The units directory and every record read, for any number of years. */
struct dataset {
    struct ds_unit *units;        /* in directory order */
    size_t unit_count;
    struct ds_record *records;    /* at most one per unit and year */
    size_t record_count, record_cap;
};

/* Reads the units directory CSV into a new dataset; opt (may be NULL) gives its text
 * check. A control character in a code, name or level, or a character the check refuses,
 * is an error at its cell, as in the exports. */
enum vb_status ds_open(const char *units_csv, const struct ds_read_options *opt,
                       struct dataset **out, struct vb_diags *diags);

/* Makes a new dataset without a units directory: every unit code the exports' rows name
 * becomes a unit (named as its first row names it, no level, in the order first read),
 * and no code is refused as unknown; a code that differs from another only in case is an
 * error. */
enum vb_status ds_open_from_exports(struct dataset **out, struct vb_diags *diags);

/* Streams one export file into the dataset, checking everything the contract says
 * (encoding, delimiter, types, required columns, negative counts, parts larger than their
 * whole, the same unit twice for one year, units not in the directory, control characters
 * and characters the text check refuses in the texts). Appends every
 * problem as a located diagnostic and goes on; rows with errors are not recorded. */
enum vb_status ds_read_export(struct dataset *ds, const char *path,
                              const struct ds_read_options *opt, struct vb_diags *diags);

/* What was read from one export file: its format, detected or forced, and its rows. */
struct ds_file_info {
    const char *path;
    const char *encoding;   /* "UTF-8", "CP1258", "TCVN5712-1" (iconv names), or NULL when
                               the file could not be read at all */
    char delimiter;         /* ',' ';' '\t' '|', 0 when unknown */
    int had_bom;            /* the file started with a byte order mark */
    int had_sep_line;       /* the file started with Excel's "sep=X" line */
    long rows;              /* non-empty data rows read, the header not counted */
    int workbook;           /* an .xlsx workbook */
    const char *place;      /* a workbook sheet's place prefix ("file.xlsx:Sheet1!"), or NULL */
    int units_directory;    /* a units directory, not an export: not read as one */
};

/* Returns how many export files were read into the dataset. */
size_t ds_file_count(const struct dataset *ds);

/* Returns what was read from the i-th export file, in reading order (i < ds_file_count). */
const struct ds_file_info *ds_file_at(const struct dataset *ds, size_t i);

/* Returns the directory entry of the unit with this code (ma_don_vi, case-sensitive), or
 * NULL when the directory has none. */
const struct ds_unit *ds_unit_find(const struct dataset *ds, const char *code);

/* Says where a unit's first row for another year than its file was read for is (that row
 * was not counted): its place into buf (returned) and its year into *year; NULL when the
 * unit sent none. */
const char *ds_stray_row(const struct dataset *ds, const struct ds_unit *unit, int *year,
                         char *buf, size_t size);

/* Returns the record of a unit for a year, or NULL when the unit sent nothing. */
const struct ds_record *ds_find(const struct dataset *ds, const struct ds_unit *unit, int year);

/* Frees the dataset. */
void ds_free(struct dataset *ds);

#endif
