// Our own package, navigation and chapter templates for epub-gen-memory (EJS, rendered by it).
// Its defaults do not fit an edition: they write a random identifier (the NCX and OPF must
// carry our stable one), today's date as the modification time, a flat contents list (ours
// nests stories under sections), and no EPUB 3 cover-image property.
// `<%= %>` escapes every value; the values come from `book`, `nav` and the chapters.

export const packageTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="<%= lang %>">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="pub-id"><%= book.identifier %></dc:identifier>
    <dc:title id="title"><%= title %></dc:title>
    <meta refines="#title" property="title-type">main</meta>
    <dc:creator id="creator"><%= book.author %></dc:creator>
    <meta refines="#creator" property="role" scheme="marc:relators">aut</meta>
    <dc:publisher><%= publisher %></dc:publisher>
    <dc:language><%= lang %></dc:language>
    <dc:date><%= book.date %></dc:date>
    <dc:description><%= description %></dc:description>
    <dc:source><%= book.source %></dc:source>
<% book.subjects.forEach(function (subject) { -%>
    <dc:subject><%= subject %></dc:subject>
<% }) -%>
    <meta property="dcterms:modified"><%= book.modified %></meta>
    <meta property="belongs-to-collection" id="series"><%= book.series %></meta>
    <meta refines="#series" property="collection-type">series</meta>
    <meta refines="#series" property="group-position"><%= book.number %></meta>
<% if (cover) { -%>
    <meta name="cover" content="cover-image"/>
<% } -%>
  </metadata>
  <manifest>
    <item id="nav" href="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
<% if (cover) { -%>
    <item id="cover-image" href="cover.<%= cover.extension %>" media-type="<%= cover.mediaType %>" properties="cover-image"/>
<% } -%>
<% images.forEach(function (image, index) { -%>
    <item id="image-<%= index %>" href="images/<%= image.id %>.<%= image.extension %>" media-type="<%= image.mediaType %>"/>
<% }) -%>
<% fonts.forEach(function (font, index) { -%>
    <item id="font-<%= index %>" href="fonts/<%= font.filename %>" media-type="<%= font.mediaType %>"/>
<% }) -%>
<% content.forEach(function (chapter) { -%>
    <item id="<%= chapter.id %>" href="<%= chapter.filename %>" media-type="application/xhtml+xml"/>
<% }) -%>
  </manifest>
  <spine toc="ncx">
<% content.forEach(function (chapter) { if (chapter.beforeToc) { -%>
    <itemref idref="<%= chapter.id %>"/>
<% } }) -%>
    <itemref idref="nav"/>
<% content.forEach(function (chapter) { if (!chapter.beforeToc) { -%>
    <itemref idref="<%= chapter.id %>"/>
<% } }) -%>
  </spine>
</package>
`;

/** The navigation document, which is also the contents page in reading order. */
export const navTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="<%= lang %>" lang="<%= lang %>">
<head>
  <meta charset="UTF-8"/>
  <title><%= tocTitle %></title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body class="contents">
  <header class="contents-head">
    <p class="nameplate"><%= book.author %></p>
    <p class="issue-line">No. <%= book.number %> · <%= book.dateLine %></p>
    <p class="edition-title"><%= book.editionTitle %></p>
  </header>
  <nav epub:type="toc" id="toc">
    <h1><%= tocTitle %></h1>
    <ol>
<% nav.forEach(function (entry) { -%>
<% if (entry.children.length) { -%>
      <li class="toc-section"><span><%= entry.label %></span>
<% } else { -%>
      <li class="toc-entry"><a href="<%= entry.href %>"><%= entry.label %></a>
<% } -%>
<% if (entry.children.length) { -%>
        <ol>
<% entry.children.forEach(function (story) { -%>
          <li class="toc-story"><a href="<%= story.href %>"><%= story.label %></a></li>
<% }) -%>
        </ol>
<% } -%>
      </li>
<% }) -%>
    </ol>
  </nav>
  <nav epub:type="landmarks" id="landmarks" hidden="hidden">
    <h2>Landmarks</h2>
    <ol>
<% book.landmarks.forEach(function (mark) { -%>
      <li><a epub:type="<%= mark.type %>" href="<%= mark.href %>"><%= mark.label %></a></li>
<% }) -%>
    </ol>
  </nav>
</body>
</html>
`;

/** EPUB 2's table of contents, kept for older readers; it must carry the same identifier. */
export const ncxTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="<%= lang %>">
  <head>
    <meta name="dtb:uid" content="<%= book.identifier %>"/>
    <meta name="dtb:depth" content="<%= nav.some(function (e) { return e.children.length; }) ? 2 : 1 %>"/>
    <meta name="dtb:totalPageCount" content="0"/>
    <meta name="dtb:maxPageNumber" content="0"/>
  </head>
  <docTitle><text><%= title %></text></docTitle>
  <docAuthor><text><%= book.author %></text></docAuthor>
  <navMap>
<% nav.forEach(function (entry) { -%>
    <navPoint id="<%= entry.id %>" playOrder="<%= entry.playOrder %>">
      <navLabel><text><%= entry.label %></text></navLabel>
      <content src="<%= entry.href %>"/>
<% entry.children.forEach(function (story) { -%>
      <navPoint id="<%= story.id %>" playOrder="<%= story.playOrder %>">
        <navLabel><text><%= story.label %></text></navLabel>
        <content src="<%= story.href %>"/>
      </navPoint>
<% }) -%>
    </navPoint>
<% }) -%>
  </navMap>
</ncx>
`;

/** Chapter pages. The cover page is written here, not as chapter content, because the builder
 * would otherwise treat its picture as one more image to fetch and store twice. */
export const chapterTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="<%= lang %>" lang="<%= lang %>">
<head>
  <meta charset="UTF-8"/>
  <title><%= title %></title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body class="<%= locals.bodyClass || 'chapter' %>">
<% if (locals.coverFile) { -%>
  <section class="cover" epub:type="cover"><img src="<%= coverFile %>" alt="<%= locals.coverAlt || title %>"/></section>
<% } else { -%>
<%- content %>
<% } -%>
</body>
</html>
`;
