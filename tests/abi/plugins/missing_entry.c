/* SPDX-License-Identifier: Apache-2.0 */
/* missing_entry.c — a shared library without warden_plugin_entry (its entry
 * has another name). Refused at "entry lookup". */
#include <warden/plugin.h>

WARDEN_PLUGIN_EXPORT int warden_plugin_main(void);

int warden_plugin_main(void) {
    return 0;
}
