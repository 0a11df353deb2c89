"""Other trackers' files: Jira, Azure DevOps and Taiga exports in, Jira and Azure DevOps out.

Everything here is plain Python over text: no Qt and no SQL. Readers turn a file into a
:class:`~cspo_desktop.interop.records.ParsedImport`; writers turn
:class:`~cspo_desktop.interop.records.ExportItem` rows into CSV text. The services decide what
an import changes in a product file.
"""
