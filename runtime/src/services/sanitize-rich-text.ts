import type { EntityDefinition } from "@crm/core";
import sanitizeHtml from "sanitize-html";

/**
 * What the studio's rich-text editor writes (paragraphs, headings, lists, quotes, code, links, marks),
 * and nothing that runs: no scripts, styles, frames, event handlers or `javascript:` links.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "h1", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr"],
  allowedAttributes: { a: ["href", "title", "target", "rel"], ol: ["start"] },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }) },
};

/**
 * Rich text as stored: the allowed markup kept, everything else removed (its text stays).
 * @example sanitizeRichText('<p onclick="x()">Hi<script>alert(1)</script></p>') // "<p>Hi</p>"
 */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/** A checked write with every rich-text value of `entity` sanitised (other values untouched). */
export function sanitizeRichTextFields(entity: EntityDefinition, values: Record<string, unknown>): Record<string, unknown> {
  let out = values;
  for (const field of entity.fields) {
    const value = values[field.key];
    if (field.type !== "richText" || typeof value !== "string") continue;
    const clean = sanitizeRichText(value);
    if (clean !== value) out = { ...out, [field.key]: clean };
  }
  return out;
}
