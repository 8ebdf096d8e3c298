#!/usr/bin/env python3
# Oracle for xl configs: reads a file with Xen's own parser (libxlutil, through ctypes) and prints
# JSON of the requested keys, so tests can compare our tokenizer with what `xl create` would see.
#
# usage: xlu.py FILE KEY...   → {"ok": true, "values": {"name": "x", "vif": ["…"], "gone": null}}
#                              or {"ok": false, "error": "…"} when libxlutil rejects the file.
# Exit 0 in both cases; exit 3 when the library itself cannot be loaded (the test then skips loudly).
# Prototypes from xen tools/include/libxlutil.h (Xen 4.17):
#   XLU_Config *xlu_cfg_init(FILE *report, const char *report_filename);
#   int xlu_cfg_readdata(XLU_Config*, const char *data, int length);
#   int xlu_cfg_get_string(const XLU_Config*, const char *n, const char **value_r, int dont_warn);
#   int xlu_cfg_get_list(const XLU_Config*, const char *n, XLU_ConfigList **list_r, int *entries_r, int dont_warn);
#   const char *xlu_cfg_get_listitem(const XLU_ConfigList*, int entry);
#   void xlu_cfg_destroy(XLU_Config*);
import ctypes
import json
import os
import sys
import tempfile

LIB = os.environ.get('XLU_LIB', '/usr/lib/x86_64-linux-gnu/libxlutil.so.4.17')
ESRCH = 3


def load():
    try:
        xlu = ctypes.CDLL(LIB)
        libc = ctypes.CDLL(None)
    except OSError as e:
        print(json.dumps({'ok': False, 'unavailable': str(e)}))
        sys.exit(3)
    vp = ctypes.c_void_p
    libc.tmpfile.restype = vp
    libc.fflush.argtypes = [vp]
    libc.fclose.argtypes = [vp]
    libc.fileno.argtypes = [vp]
    xlu.xlu_cfg_init.restype = vp
    xlu.xlu_cfg_init.argtypes = [vp, ctypes.c_char_p]
    xlu.xlu_cfg_readdata.restype = ctypes.c_int
    xlu.xlu_cfg_readdata.argtypes = [vp, ctypes.c_char_p, ctypes.c_int]
    xlu.xlu_cfg_get_string.restype = ctypes.c_int
    xlu.xlu_cfg_get_string.argtypes = [vp, ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int]
    xlu.xlu_cfg_get_list.restype = ctypes.c_int
    xlu.xlu_cfg_get_list.argtypes = [vp, ctypes.c_char_p, ctypes.POINTER(vp), ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    xlu.xlu_cfg_get_listitem.restype = ctypes.c_char_p
    xlu.xlu_cfg_get_listitem.argtypes = [vp, ctypes.c_int]
    xlu.xlu_cfg_destroy.restype = None
    xlu.xlu_cfg_destroy.argtypes = [vp]
    return xlu, libc


def value_of(xlu, cfg, key):
    """A string, a list (items are strings, or null for a nested list), or null when unset."""
    k = key.encode()
    out = ctypes.c_char_p()
    if xlu.xlu_cfg_get_string(cfg, k, ctypes.byref(out), 1) == 0:
        return out.value.decode('utf-8', 'surrogateescape')
    lst = ctypes.c_void_p()
    n = ctypes.c_int()
    rc = xlu.xlu_cfg_get_list(cfg, k, ctypes.byref(lst), ctypes.byref(n), 1)
    if rc == ESRCH:
        return None
    if rc != 0:
        return {'errno': rc}
    items = []
    for i in range(n.value):
        item = xlu.xlu_cfg_get_listitem(lst, i)
        items.append(None if item is None else item.decode('utf-8', 'surrogateescape'))
    return items


def main():
    if len(sys.argv) < 2:
        print('usage: xlu.py FILE KEY...', file=sys.stderr)
        sys.exit(64)
    path, keys = sys.argv[1], sys.argv[2:]
    xlu, libc = load()
    with open(path, 'rb') as f:
        data = f.read()
    # libxlutil writes its complaints to a FILE*; a tmpfile lets us return them inside the JSON.
    report = libc.tmpfile()
    cfg = xlu.xlu_cfg_init(report, path.encode())
    rc = xlu.xlu_cfg_readdata(cfg, data, len(data))
    libc.fflush(report)
    with os.fdopen(os.dup(libc.fileno(report)), 'rb') as r:
        r.seek(0)
        complaints = r.read().decode('utf-8', 'replace')
    if rc != 0:
        result = {'ok': False, 'errno': rc, 'error': complaints}
    else:
        result = {'ok': True, 'values': {k: value_of(xlu, cfg, k) for k in keys}}
        if complaints:
            result['warnings'] = complaints
    xlu.xlu_cfg_destroy(cfg)
    libc.fclose(report)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
