import { describe, expect, it } from "vitest";
import { sanitizeRichText } from "./sanitize-rich-text.ts";

describe("sanitizeRichText", () => {
  it.each([
    ['<p onclick="x()">Hi<script>alert(1)</script></p>', "<p>Hi</p>"],
    ['<img src="x" onerror="alert(1)"><p>a</p>', "<p>a</p>"],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href="//evil.test">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ["<style>p{}</style><iframe src=https://x></iframe><p>kept</p>", "<p>kept</p>"],
    ['<p style="color:red">red</p>', "<p>red</p>"],
    ["<h2>T</h2><ul><li><em>i</em> <s>s</s> <code>c</code></li></ul><blockquote>q</blockquote>", "<h2>T</h2><ul><li><em>i</em> <s>s</s> <code>c</code></li></ul><blockquote>q</blockquote>"],
    ["plain & text", "plain &amp; text"],
  ])("%s → %s", (input, expected) => {
    expect(sanitizeRichText(input)).toBe(expected);
  });
});
