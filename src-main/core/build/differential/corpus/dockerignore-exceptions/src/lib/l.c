src/lib/l.c
