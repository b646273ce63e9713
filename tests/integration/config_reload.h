/* Tests that change superset_config.py of the running stack: the original
 * text is saved once, extra lines are appended and the workers reloaded
 * (SIGHUP), and the original is restored at the end. */
#ifndef LITESET_TESTS_INTEGRATION_CONFIG_RELOAD_H
#define LITESET_TESTS_INTEGRATION_CONFIG_RELOAD_H

void config_reload_save(void);               /* .init */
void config_reload_restore(void);            /* .fini */
void config_reload_with(const char *extra);  /* original + extra (NULL: original) */

#endif
