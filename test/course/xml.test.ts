/**
 * The one XML escaper (course/xml.ts): whatever text and attribute values it is given, the
 * document parses and reads back as the text, less the characters XML 1.0 forbids; and the SVG
 * of a plot uses it, so a hostile title cannot break the SVG.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { lossCurvesPlot } from '../../course/plots/loss-curves.js';
import { plotToSvg } from '../../course/plots/svg.js';
import { xmlAttribute, xmlText } from '../../course/xml.js';

const HOSTILE = `<a href="x">&amp; 'q'</a>\t\r\n]]>\u0000\u0007\uD800 😀`;
const READABLE = `<a href="x">&amp; 'q'</a>\t\r\n]]> 😀`;

describe('xmlText and xmlAttribute', () => {
  it('make well-formed XML that reads back as the text, without the forbidden characters', () => {
    const xml = `<doc value="${xmlAttribute(HOSTILE)}">${xmlText(HOSTILE)}</doc>`;
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      trimValues: false,
      processEntities: true,
      htmlEntities: true,
    }).parse(xml) as { doc: { value: string; '#text': string } };
    expect(doc.doc.value).toBe(READABLE);
    expect(doc.doc['#text']).toBe(READABLE);
  });

  it("escape the SVG of a plot, whose title and labels are the caller's", () => {
    const svg = plotToSvg(
      lossCurvesPlot({ title: HOSTILE, series: [{ label: HOSTILE, role: 'student', values: [1, 0.5] }] }),
    );
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain(`data-series="${xmlAttribute(HOSTILE)}"`);
    expect(svg).not.toContain('<a href');
  });
});
