/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/abi/abi_1_5_layout.c — what ABI 1.5 added sits where 1.5 put it, as
 * C sees it: figure_publish is the slot right after service_account and the
 * last of warden_host_services (a 1.4 host's table ends before it), and
 * warden_figure's fields lie at the offsets plugins compile in, with no
 * padding; its kinds and limits have their values [WP-ABI-1, WP-ABI-3,
 * WP-FIG-1]. Checked by compiling it as C: a check that fails is an array
 * of size -1.
 */
#include <warden/plugin.h>

#include <stddef.h>

#define WARDEN_CHECK(name, condition) typedef char name[(condition) ? 1 : -1]
#define WARDEN_END_OF(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

WARDEN_CHECK(abi_is_1_5, WARDEN_ABI_VERSION == WARDEN_MAKE_ABI_VERSION(1, 5));

/* The host services table: one slot appended. */
WARDEN_CHECK(figure_publish_follows_service_account,
             offsetof(warden_host_services, figure_publish) ==
                 WARDEN_END_OF(warden_host_services, service_account));
WARDEN_CHECK(figure_publish_is_the_last_slot,
             sizeof(warden_host_services) == WARDEN_END_OF(warden_host_services, figure_publish));

/* warden_figure: a u32 and an i32, four strings, a double. */
WARDEN_CHECK(figure_struct_size_first, offsetof(warden_figure, struct_size) == 0);
WARDEN_CHECK(figure_kind_at_4, offsetof(warden_figure, kind) == 4);
WARDEN_CHECK(figure_name_at_8, offsetof(warden_figure, name) == 8);
WARDEN_CHECK(figure_help, offsetof(warden_figure, help) == 8 + sizeof(warden_str));
WARDEN_CHECK(figure_label_name, offsetof(warden_figure, label_name) == 8 + 2 * sizeof(warden_str));
WARDEN_CHECK(figure_label_value,
             offsetof(warden_figure, label_value) == 8 + 3 * sizeof(warden_str));
WARDEN_CHECK(figure_value, offsetof(warden_figure, value) == 8 + 4 * sizeof(warden_str));
WARDEN_CHECK(figure_size, sizeof(warden_figure) == 16 + 4 * sizeof(warden_str));

/* Its values and limits never change. */
WARDEN_CHECK(figure_gauge, WARDEN_FIGURE_GAUGE == 1);
WARDEN_CHECK(figure_counter, WARDEN_FIGURE_COUNTER == 2);
WARDEN_CHECK(figures_per_worker, WARDEN_MAX_FIGURES_PER_WORKER == 32u);
WARDEN_CHECK(figure_name_bytes, WARDEN_MAX_FIGURE_NAME_BYTES == 48u);
WARDEN_CHECK(figure_help_bytes, WARDEN_MAX_FIGURE_HELP_BYTES == 256u);
WARDEN_CHECK(figure_label_value_bytes, WARDEN_MAX_FIGURE_LABEL_VALUE_BYTES == 64u);
