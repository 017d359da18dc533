import { paragraphOf, xml } from './docx-xml';
import { zipOf } from './zip-archive';

/** Page geometry in twips. */
export interface Page {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
  header: number;
  footer: number;
}

export const imageRelationshipId = (n: number) => `rIdImage${n}`;

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NAMESPACES =
  `xmlns:w="${W}" xmlns:r="${R}" ` +
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ' +
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"';
const TIMES = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>';
const MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml';

/**
 * The .docx of a document `body` (WordprocessingML paragraphs and tables) with its PNG `images`
 * (image n related as `imageRelationshipId(n)`): one section on `page`, page numbers centred at the top
 * from page 2 on, styles "Normal" (Times New Roman 14 pt) and "Body" (justified, first line indented).
 */
export function docxPackage({ body, images, page, title, creator }: {
  body: string;
  images: Buffer[];
  page: Page;
  title: string;
  creator: string;
}): Buffer {
  const media = Object.fromEntries(images.map((png, i) => [`word/media/image${i + 1}.png`, png]));
  return zipOf({
    '[Content_Types].xml': contentTypes(images.length > 0),
    '_rels/.rels': relationships([
      ['rId1', 'officeDocument/2006/relationships/officeDocument', 'word/document.xml'],
      ['rId2', 'package/2006/relationships/metadata/core-properties', 'docProps/core.xml'],
      ['rId3', 'officeDocument/2006/relationships/extended-properties', 'docProps/app.xml'],
    ]),
    'docProps/core.xml': coreProperties(title, creator),
    'docProps/app.xml':
      DECLARATION +
      '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Thi Hành</Application></Properties>',
    'word/document.xml': `${DECLARATION}<w:document ${NAMESPACES}><w:body>${body}${section(page)}</w:body></w:document>`,
    'word/_rels/document.xml.rels': relationships([
      ['rIdStyles', 'officeDocument/2006/relationships/styles', 'styles.xml'],
      ['rIdSettings', 'officeDocument/2006/relationships/settings', 'settings.xml'],
      ['rIdHeader', 'officeDocument/2006/relationships/header', 'header1.xml'],
      ...images.map((_, i): [string, string, string] => [imageRelationshipId(i + 1), 'officeDocument/2006/relationships/image', `media/image${i + 1}.png`]),
    ]),
    'word/styles.xml': STYLES,
    'word/settings.xml': SETTINGS,
    'word/header1.xml': PAGE_NUMBER_HEADER,
    ...media,
  });
}

// Decree 30: no number on the first page. titlePg gives the first page its own header, and with none
// defined for it, that header is blank.
function section(page: Page): string {
  return (
    '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>' +
    `<w:pgSz w:w="${page.width}" w:h="${page.height}"/>` +
    `<w:pgMar w:top="${page.top}" w:right="${page.right}" w:bottom="${page.bottom}" w:left="${page.left}" ` +
    `w:header="${page.header}" w:footer="${page.footer}" w:gutter="0"/>` +
    '<w:cols w:space="720"/><w:titlePg/></w:sectPr>'
  );
}

function contentTypes(withPng: boolean): string {
  const override = (part: string, type: string) => `<Override PartName="${part}" ContentType="${type}"/>`;
  return (
    `${DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    (withPng ? '<Default Extension="png" ContentType="image/png"/>' : '') +
    override('/word/document.xml', `${MAIN}.document.main+xml`) +
    override('/word/styles.xml', `${MAIN}.styles+xml`) +
    override('/word/settings.xml', `${MAIN}.settings+xml`) +
    override('/word/header1.xml', `${MAIN}.header+xml`) +
    override('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml') +
    override('/docProps/app.xml', 'application/vnd.openxmlformats-officedocument.extended-properties+xml') +
    '</Types>'
  );
}

function relationships(entries: [id: string, type: string, target: string][]): string {
  return (
    `${DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    entries.map(([id, type, target]) => `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/${type}" Target="${target}"/>`).join('') +
    '</Relationships>'
  );
}

// No creation or modification date: the same document gives the same bytes whenever it is made.
function coreProperties(title: string, creator: string): string {
  return (
    `${DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xml(title)}</dc:title><dc:creator>${xml(creator)}</dc:creator><dc:language>vi-VN</dc:language>` +
    '</cp:coreProperties>'
  );
}

const STYLES =
  `${DECLARATION}<w:styles xmlns:w="${W}">` +
  '<w:docDefaults>' +
  `<w:rPrDefault><w:rPr>${TIMES}<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
  '<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>' +
  '</w:docDefaults>' +
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>' +
  `<w:rPr>${TIMES}<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:style>` +
  '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>' +
  '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>' +
  '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>' +
  '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>' +
  '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>' +
  '</w:tblPr></w:style>' +
  // Decree 30, body text: justified, first line indented 1 cm, at least 6 pt between paragraphs,
  // line spacing from single to 1.5 lines.
  '<w:style w:type="paragraph" w:customStyle="1" w:styleId="Body"><w:name w:val="Nội dung văn bản"/><w:basedOn w:val="Normal"/><w:qFormat/>' +
  '<w:pPr><w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/><w:ind w:firstLine="567"/><w:jc w:val="both"/></w:pPr></w:style>' +
  '</w:styles>';

const SETTINGS =
  `${DECLARATION}<w:settings xmlns:w="${W}"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>` +
  '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>' +
  '</w:settings>';

const PAGE_NUMBER_HEADER =
  `${DECLARATION}<w:hdr ${NAMESPACES}>` +
  paragraphOf('<w:fldSimple w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple>', { align: 'center' }) +
  '</w:hdr>';
