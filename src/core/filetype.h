/*
 * filetype.h - what a file is, told by its content (magic bytes), never by
 * its name: the kinds of evidence a unit may attach (photos, PDFs, Office
 * documents).
 */
#ifndef DUBAN_CORE_FILETYPE_H
#define DUBAN_CORE_FILETYPE_H

#include <stddef.h>

/**
 * The content type of data[0..len) when it is one of JPEG, PNG, GIF, WebP,
 * PDF, a Word, Excel or PowerPoint document of Office Open XML (a zip whose
 * [Content_Types].xml declares the main part: macro-enabled ones are not
 * taken) or of the older binary formats (an OLE compound file with the
 * WordDocument, Workbook/Book or PowerPoint Document stream); NULL for
 * anything else.  The string is static.
 */
const char *filetype_sniff(const void *data, size_t len);

/** The usual file name extension of a content type filetype_sniff()
 * returns ("png"), or "bin". */
const char *filetype_extension(const char *content_type);

#endif
