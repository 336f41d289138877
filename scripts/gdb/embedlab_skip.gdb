# The skip recipe: `step` from a chapter's line goes into embedlab's code, never into the
# standard library or fmt. Without it, stepping into `embed->forward(ids)` first walks through
# shared_ptr::operator->, then Tensor's copy constructor's shared_ptr internals, and so on.
# Loaded by embedlab_printers.py; on its own: (gdb) source scripts/gdb/embedlab_skip.gdb
#
# What skipping means: gdb steps OVER these functions. Code of yours that they call back (a
# lambda given to std::sort or std::function) is stepped over too: set a breakpoint inside it.
# `info skip` lists these; `skip disable` turns them off for the session.
skip -rfunction ^std::
skip -rfunction ^__gnu_cxx::
skip -rfunction ^fmt::
skip -rfunction ^CLI::
skip -gfile /usr/include/c++/*/*
skip -gfile /usr/include/c++/*/bits/*
skip -gfile /usr/include/c++/*/ext/*
skip -gfile /usr/include/fmt/*
