use ahash::AHashMap;
use minify_html_common::spec::tag::ns::Namespace;
use std::borrow::Cow;
use std::fmt::Debug;
use std::fmt::Formatter;
use std::str::from_utf8;

pub mod c14n;

#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub enum ElementClosingTag {
  Omitted,
  Present,
  SelfClosing,
  Void,
}

#[derive(Copy, Clone, Eq, PartialEq, Debug)]
#[allow(clippy::upper_case_acronyms)]
pub enum ScriptOrStyleLang {
  CSS,
  Data,
  JS,
  JSModule,
}

// verbatim: values, names and text borrow from the source where they are as
// written (no reference to decode, already lower case): one allocation less
// per attribute name, attribute value, tag name and text node.
pub struct AttrVal<'a> {
  // For serialisation only, not used for equality or value.
  pub quote: Option<u8>,
  pub value: Cow<'a, [u8]>,
}

impl AttrVal<'_> {
  pub fn as_slice(&self) -> &[u8] {
    &self.value
  }
}

impl Debug for AttrVal<'_> {
  fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
    f.write_str(from_utf8(&self.value).unwrap())
  }
}

impl PartialEq for AttrVal<'_> {
  fn eq(&self, other: &Self) -> bool {
    self.value == other.value
  }
}

impl Eq for AttrVal<'_> {}

#[derive(Eq, PartialEq, Debug)]
pub enum RcdataContentType {
  Textarea,
  Title,
}

/// verbatim: an element's attributes, in a vector rather than a hash map (an
/// element has a handful: a scan is cheaper than hashing, and no table is
/// allocated); past `SCAN_LIMIT` of them, names are indexed in a map so a
/// tag with thousands stays linear. As with upstream's map, a repeated name
/// keeps its first position and its last value; equality ignores order.
#[derive(Default)]
pub struct Attributes<'a> {
  list: Vec<(Cow<'a, [u8]>, AttrVal<'a>)>,
  index: Option<AHashMap<Cow<'a, [u8]>, usize>>,
}

const SCAN_LIMIT: usize = 16;

impl<'a> Attributes<'a> {
  fn position(&self, name: &[u8]) -> Option<usize> {
    match &self.index {
      Some(index) => index.get(name).copied(),
      None => self.list.iter().position(|(n, _)| &**n == name),
    }
  }

  pub fn insert(&mut self, name: Cow<'a, [u8]>, value: AttrVal<'a>) {
    if let Some(i) = self.position(&name) {
      self.list[i].1 = value;
      return;
    }
    if let Some(index) = &mut self.index {
      index.insert(name.clone(), self.list.len());
    }
    self.list.push((name, value));
    if self.index.is_none() && self.list.len() > SCAN_LIMIT {
      let index = self.list.iter().enumerate().map(|(i, (n, _))| (n.clone(), i)).collect();
      self.index = Some(index);
    }
  }

  pub fn get(&self, name: &[u8]) -> Option<&AttrVal<'a>> {
    self.position(name).map(|i| &self.list[i].1)
  }

  pub fn iter(&self) -> impl Iterator<Item = (&Cow<'a, [u8]>, &AttrVal<'a>)> {
    self.list.iter().map(|(n, v)| (n, v))
  }
}

impl<'a> IntoIterator for Attributes<'a> {
  type Item = (Cow<'a, [u8]>, AttrVal<'a>);
  type IntoIter = std::vec::IntoIter<Self::Item>;

  fn into_iter(self) -> Self::IntoIter {
    self.list.into_iter()
  }
}

impl PartialEq for Attributes<'_> {
  fn eq(&self, other: &Self) -> bool {
    self.list.len() == other.list.len() && self.iter().all(|(n, v)| other.get(n) == Some(v))
  }
}

impl Eq for Attributes<'_> {}

impl Debug for Attributes<'_> {
  fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
    f.debug_map()
      .entries(self.iter().map(|(n, v)| (String::from_utf8_lossy(n), v)))
      .finish()
  }
}

// Derive Eq for testing.
#[derive(Eq, PartialEq)]
pub enum NodeData<'a> {
  Bang {
    code: Vec<u8>,
    // If the source unexpectedly ended before `>`, we can't add it, as otherwise output could be longer than source.
    ended: bool,
  },
  Comment {
    code: Vec<u8>,
    // If the source unexpectedly ended before `-->`, we can't add it, as otherwise output could be longer than source.
    ended: bool,
  },
  Doctype {
    legacy: Vec<u8>,
    // If the source unexpectedly ended before `>`, we can't add it, as otherwise output could be longer than source.
    ended: bool,
  },
  Element {
    attributes: Attributes<'a>,
    children: Vec<NodeData<'a>>,
    // If the source doesn't have a closing tag, then we can't add one, as otherwise output could be longer than source.
    closing_tag: ElementClosingTag,
    name: Cow<'a, [u8]>,
    namespace: Namespace,
    // WARNING: This should only be set during minification, as minification can alter tree (e.g. remove text nodes completely).
    // If the next text or element sibling is an element, this will be set to its tag name.
    // Otherwise, this will be empty. It should be empty on creation.
    next_sibling_element_name: Cow<'a, [u8]>,
  },
  Instruction {
    code: Vec<u8>,
    // If the source unexpectedly ended before `?>`, we can't add it, as otherwise output could be longer than source.
    ended: bool,
  },
  // <title> or <textarea> element contents.
  RcdataContent {
    typ: RcdataContentType,
    text: Vec<u8>,
  },
  // Entities should not be decoded in ScriptOrStyleContent.
  ScriptOrStyleContent {
    code: Vec<u8>,
    lang: ScriptOrStyleLang,
  },
  Text {
    value: Cow<'a, [u8]>,
  },
  // Usually templating syntax, including any opening and closing delimiters.
  Opaque {
    raw_source: Vec<u8>,
  },
}

impl Debug for NodeData<'_> {
  fn fmt(&self, f: &mut Formatter<'_>) -> std::fmt::Result {
    match self {
      NodeData::Bang { code, ended } => f
        .debug_struct("Bang")
        .field("code", &from_utf8(code).unwrap().to_string())
        .field("ended", ended)
        .finish(),
      NodeData::Comment { code, ended } => f
        .debug_struct("Comment")
        .field("code", &from_utf8(code).unwrap().to_string())
        .field("ended", ended)
        .finish(),
      NodeData::Doctype { legacy, ended } => f
        .debug_struct("Doctype")
        .field("legacy", &from_utf8(legacy).unwrap().to_string())
        .field("ended", ended)
        .finish(),
      NodeData::Element {
        attributes,
        children,
        closing_tag,
        name,
        namespace,
        next_sibling_element_name,
      } => f
        .debug_struct("Element")
        .field("tag", &{
          let mut out = format!("{:?}:{}", namespace, from_utf8(name).unwrap());
          for (n, v) in attributes.iter() {
            out.push_str(format!(" {}={:?}", from_utf8(n).unwrap(), v).as_str());
          }
          out
        })
        .field("children", children)
        .field("closing_tag", closing_tag)
        .field(
          "next_sibling_element_name",
          &from_utf8(next_sibling_element_name).unwrap().to_string(),
        )
        .finish(),
      NodeData::Instruction { code, ended } => f
        .debug_struct("Instruction")
        .field("code", &from_utf8(code).unwrap().to_string())
        .field("ended", ended)
        .finish(),
      NodeData::RcdataContent { typ, text } => f
        .debug_struct("RcdataContent")
        .field("typ", typ)
        .field("text", &from_utf8(text).unwrap().to_string())
        .finish(),
      NodeData::ScriptOrStyleContent { code, lang } => f
        .debug_struct("ScriptOrStyleContent")
        .field("code", &from_utf8(code).unwrap().to_string())
        .field("lang", lang)
        .finish(),
      NodeData::Text { value } => f.write_str(from_utf8(value).unwrap()),
      NodeData::Opaque { raw_source } => f
        .debug_struct("Opaque")
        .field("raw_source", &from_utf8(raw_source).unwrap().to_string())
        .finish(),
    }
  }
}
