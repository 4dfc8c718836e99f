"""The plugin kit, private: ``nbplug``'s own ``__init__`` re-exports what users import.

Its modules, in the one direction their imports run (each imports only modules above it;
``tests/test_import_structure.py`` holds them to it):

- leaves: ``errors``, ``result``, ``tracing`` (trace records), ``suggest`` (did-you-mean),
  ``introspection`` (the member walk, the staticmethod/classmethod unwrap, signature facts),
  ``callsite`` (the first frame outside nbplug, for warnings);
- ``markers``: ``ExtensionPoint`` / ``Extension`` and reading their options back;
- ``records``: ``HookSpec``, ``HookImpl`` and the call order;
- ``plan``: the frozen ``CallPlan`` of a hook and the rules for a call's arguments;
- ``wrapping``: the wrapper-driving rules both engines share;
- ``calls`` (the code generator) and ``interpret`` (the traced interpreter), each taking a plan;
- ``dispatch``: what a caller is given by its manager (awaiting or not, the monitors);
- ``hooks``: ``HookCaller`` and ``HookRelay``;
- ``validation``, ``lookups``, ``distributions``, ``tagtrace`` and ``registry``: what makes an
  extension invalid, what a manager can be asked, entry points, ``pm.trace``, and
  ``PluginManagerBase``;
- ``manager`` and ``aio``: ``PluginManager`` and ``AsyncPluginManager``.

Decision: one private package rather than modules at the package root, so that ``ls nbplug`` shows
the layers and nothing here looks like an API (pluggy keeps its modules private the same way).
Modules that only make sense together are one module (``introspection``); modules that load only
when first used (``aio``, ``wrapping``, ``suggest``, ``callsite``, ``distributions``) stay apart,
so that ``import nbplug`` loads what ``import pluggy`` loads and no more.
"""
