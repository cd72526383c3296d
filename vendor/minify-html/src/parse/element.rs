use crate::ast::AttrVal;
use crate::ast::Attributes;
use crate::ast::ElementClosingTag;
use crate::ast::NodeData;
use crate::ast::ScriptOrStyleLang;
use crate::entity::decode::decode_entities;
use crate::parse::content::parse_content;
use crate::parse::content::ParsedContent;
use crate::parse::script::parse_script_content;
use crate::parse::style::parse_style_content;
use crate::parse::textarea::parse_textarea_content;
use crate::parse::title::parse_title_content;
use crate::parse::Code;
use minify_html_common::gen::codepoints::ATTR_QUOTE;
use minify_html_common::gen::codepoints::DOUBLE_QUOTE;
use minify_html_common::gen::codepoints::NOT_UNQUOTED_ATTR_VAL_CHAR;
use minify_html_common::gen::codepoints::SINGLE_QUOTE;
use minify_html_common::gen::codepoints::TAG_NAME_CHAR;
use minify_html_common::gen::codepoints::WHITESPACE;
use minify_html_common::gen::codepoints::WHITESPACE_OR_SLASH;
use minify_html_common::gen::codepoints::WHITESPACE_OR_SLASH_OR_EQUALS_OR_RIGHT_CHEVRON;
use minify_html_common::spec::script::JAVASCRIPT_MIME_TYPES;
use minify_html_common::spec::tag::ns::Namespace;
use minify_html_common::spec::tag::void::VOID_TAGS;
use std::borrow::Cow;
use std::fmt::Debug;
use std::fmt::Formatter;
use std::str::from_utf8;

/// verbatim: where the name of the tag whose `<` is at `at` starts and ends
/// (after the `<` and an optional `/`, a run of tag name characters). Shared
/// by `peek_tag_name` and `walk_tag`.
fn tag_name_span(src: &[u8], at: usize) -> (usize, usize) {
  debug_assert!(src[at..].starts_with(b"<"));
  let start = at + 1 + usize::from(src.get(at + 1) == Some(&b'/'));
  let len = src[start..].iter().take_while(|&&c| TAG_NAME_CHAR[c]).count();
  (start, start + len)
}

/// verbatim: the lower-cased name of the tag at the current position, without
/// moving, and borrowed from the source when it is lower case already (as
/// generated pages' tags are) instead of copied: the parser peeks at every tag.
pub fn peek_tag_name<'c>(code: &Code<'c>) -> Cow<'c, [u8]> {
  let (start, end) = tag_name_span(code.code, code.next);
  lower_case(&code.code[start..end])
}

/// verbatim: a name lower-cased, borrowed when it is lower case already.
fn lower_case(name: &[u8]) -> Cow<'_, [u8]> {
  if name.iter().any(u8::is_ascii_uppercase) {
    Cow::Owned(name.to_ascii_lowercase())
  } else {
    Cow::Borrowed(name)
  }
}

// Derive Eq for testing.
#[derive(Eq, PartialEq)]
pub struct ParsedTag<'a> {
  pub attributes: Attributes<'a>,
  pub name: Cow<'a, [u8]>,
  pub self_closing: bool,
}

impl Debug for ParsedTag<'_> {
  fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
    f.write_fmt(format_args!("<{}", from_utf8(&self.name).unwrap()))?;
    let mut attrs = self.attributes.iter().collect::<Vec<_>>();
    attrs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (n, v) in attrs {
      f.write_fmt(format_args!(" {}={:?}", from_utf8(n).unwrap(), v))?;
    }
    if self.self_closing {
      f.write_str(" />")?;
    };
    std::fmt::Result::Ok(())
  }
}

// While not valid, attributes in closing tags still need to be parsed (and then discarded) as attributes e.g. `</div x=">">`, which is why this function is used for both opening and closing tags.
pub fn parse_tag<'a>(code: &mut Code<'a>) -> ParsedTag<'a> {
  let mut attributes = Attributes::default();
  let (name, self_closing) = walk_tag(code, |raw_name, raw_value| {
    let attr_name = lower_case(raw_name);
    let attr_value = match raw_value {
      None => AttrVal {
        quote: None,
        value: Cow::default(),
      },
      Some((quote, raw)) => AttrVal {
        quote,
        value: decode_entities(raw, true),
      },
    };
    attributes.insert(attr_name, attr_value);
  });
  ParsedTag {
    attributes,
    name: lower_case(name),
    self_closing,
  }
}

/// verbatim: `parse_tag` for a tag that is dropped (a closing tag, an ignored
/// one): the same steps through the source, but no name, value or map is made.
pub fn skip_tag(code: &mut Code) {
  walk_tag(code, |_, _| {});
}

/// verbatim: the steps of reading a tag, shared by `parse_tag` and `skip_tag`
/// (upstream's TODO: "Use generics to create version that doesn't create an
/// AHashMap"). Hands each attribute's raw name, and its quote and raw value
/// when it has one, to `attribute`; returns the tag's raw name and whether it
/// closes itself.
fn walk_tag<'c>(
  code: &mut Code<'c>,
  mut attribute: impl FnMut(&'c [u8], Option<(Option<u8>, &'c [u8])>),
) -> (&'c [u8], bool) {
  let src: &'c [u8] = code.code;
  let (name_start, name_end) = tag_name_span(src, code.next);
  code.next = name_end;
  let self_closing;
  loop {
    // At the beginning of this loop, the last parsed unit was either the tag name or an attribute (including its value, if it had one).
    let last = code.shift_while_in_lookup(WHITESPACE_OR_SLASH);
    if code.at_end() || code.shift_if_next(b'>') {
      self_closing = last.filter(|&c| c == b'/').is_some();
      // End of tag.
      break;
    };
    // An attribute name can start with `=`, but ends at the next whitespace, `=`, `/`, or `>`.
    let attr_start = code.next;
    code.shift_if_next_not_in_lookup(WHITESPACE_OR_SLASH);
    code.slice_and_shift_while_not_in_lookup(WHITESPACE_OR_SLASH_OR_EQUALS_OR_RIGHT_CHEVRON);
    let attr_name = &src[attr_start..code.next];
    debug_assert!(!attr_name.is_empty());
    // See comment for WHITESPACE_OR_SLASH in codepoints.ts for details of complex attr parsing.
    code.shift_while_in_lookup(WHITESPACE);
    let has_value = code.shift_if_next(b'=');
    code.shift_while_in_lookup(WHITESPACE);
    if !has_value {
      attribute(attr_name, None);
      continue;
    }
    // TODO Replace ATTR_QUOTE with direct comparison.
    let attr_delim = code.shift_if_next_in_lookup(ATTR_QUOTE);
    // It seems that for unquoted attribute values, if it's the last value in a tag and is immediately followed by `>`, any trailing `/` is NOT interpreted as a self-closing indicator and is always included as part of the value, even for SVG self-closable elements.
    let attr_delim_pred = match attr_delim {
      Some(b'"') => DOUBLE_QUOTE,
      Some(b'\'') => SINGLE_QUOTE,
      None => NOT_UNQUOTED_ATTR_VAL_CHAR,
      _ => unreachable!(),
    };
    let raw_value = code.slice_and_shift_while_not_in_lookup(attr_delim_pred);
    if let Some(c) = attr_delim {
      // It might not be next if EOF (i.e. attribute value not closed).
      code.shift_if_next(c);
    };
    attribute(attr_name, Some((attr_delim, raw_value)));
  }
  (&src[name_start..name_end], self_closing)
}

// `<` must be next. `parent` should be an empty slice if it doesn't exist.
pub fn parse_element<'a>(code: &mut Code<'a>, ns: Namespace, parent: &[u8]) -> NodeData<'a> {
  let ParsedTag {
    name: elem_name,
    attributes,
    self_closing,
  } = parse_tag(code);

  // Embedded svg tags are immediately in the svg namespace and must be parsed as such.
  let ns = if &*elem_name == b"svg" {
    Namespace::Svg
  } else {
    ns
  };

  // Only foreign elements can be self closed.
  if self_closing && ns != Namespace::Html {
    return NodeData::Element {
      attributes,
      children: Vec::new(),
      closing_tag: ElementClosingTag::SelfClosing,
      name: elem_name,
      namespace: ns,
      next_sibling_element_name: Cow::default(),
    };
  };
  if VOID_TAGS.contains(&*elem_name) {
    return NodeData::Element {
      attributes,
      children: Vec::new(),
      closing_tag: ElementClosingTag::Void,
      name: elem_name,
      namespace: ns,
      next_sibling_element_name: Cow::default(),
    };
  };

  let ParsedContent {
    closing_tag_omitted,
    children,
  } = match (ns, &*elem_name) {
    (_, b"script") => match attributes.get(b"type") {
      Some(typ) if typ.as_slice() == b"module" => {
        parse_script_content(code, ScriptOrStyleLang::JSModule)
      }
      Some(mime) if !JAVASCRIPT_MIME_TYPES.contains(mime.as_slice()) => {
        parse_script_content(code, ScriptOrStyleLang::Data)
      }
      _ => parse_script_content(code, ScriptOrStyleLang::JS),
    },
    (_, b"style") => parse_style_content(code),
    (Namespace::Html, b"textarea") => parse_textarea_content(code),
    (Namespace::Html, b"title") => parse_title_content(code),
    _ => parse_content(code, ns, parent, &elem_name),
  };

  if !closing_tag_omitted {
    skip_tag(code);
  };

  NodeData::Element {
    attributes,
    children,
    closing_tag: if closing_tag_omitted {
      ElementClosingTag::Omitted
    } else {
      ElementClosingTag::Present
    },
    name: elem_name,
    namespace: ns,
    next_sibling_element_name: Cow::default(),
  }
}
