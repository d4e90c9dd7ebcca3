/*
 * profile.h: the profile of an issuing body and the plan it reports on
 * (templates/vanban-profile.rng, samples/profiles/): the agency and its parent, the
 * place and locality, the plan (number, date, title), Kính gửi, the signer, Nơi nhận, the
 * ký hiệu's agency part, the units directory, the sheet of .xlsx exports, and the plan's
 * targets as data. Templates read it as profile.*; the targets go to aggregate.h.
 *
 * A run without a profile uses the neutral one (templates/profile-neutral.xml): no
 * province's name, dotted placeholders for the clerk to fill, no targets.
 */
#ifndef VANBAN_PROFILE_H
#define VANBAN_PROFILE_H

#include "aggregate.h"
#include "diag.h"
#include "tdata.h"

/* A loaded profile (opaque). */
struct profile;

/* Reads and checks the profile at path against the RelaxNG schema at schema_path: the
 * schema's structure, then what it cannot say (a target's columns are counts of the export
 * contract, ids are unique). neutral marks the built-in neutral profile (profile_is_neutral).
 * Appends located diagnostics and returns VB_EINPUT on a bad profile. */
enum vb_status profile_load(const char *path, const char *schema_path, int neutral,
                            struct profile **out, struct vb_diags *diags);

/* Whether the file at path is an XML file whose root element is <profile> (read up to that
 * element only; a file that cannot be read is not one). */
int profile_file_is_profile(const char *path);

/* Returns the file the profile was read from. */
const char *profile_path(const struct profile *p);

/* Returns whether this is the neutral profile (a run without --profile). */
int profile_is_neutral(const struct profile *p);

/* Returns the issuing body's full name ("Ủy ban nhân dân tỉnh Sóc Trăng"), how the web
 * page lists the profile, as a new string; NULL when the profile gives none. */
char *profile_title(const struct profile *p);

/* Returns the units directory the profile names (resolved against its folder), or NULL. */
const char *profile_units(const struct profile *p);

/* Checks that the units directory the profile names exists, when the run uses it: VB_OK,
 * or VB_EINPUT with an error at the profile's href (line and column). */
enum vb_status profile_check_units(const struct profile *p, struct vb_diags *diags);

/* Returns the sheet of .xlsx exports to read, or NULL for the first. */
const char *profile_sheet(const struct profile *p);

/* Returns the plan's targets. */
const struct agg_targets *profile_targets(const struct profile *p);

/* Returns the profile as template data (profile.* in README, "Profiles"), made in arena;
 * NULL on allocation failure. */
struct td_obj *profile_data(const struct profile *p, struct td_arena *arena);

/* Frees the profile. */
void profile_free(struct profile *p);

#endif
