use crate::ast::AttrVal;
use crate::ast::ElementClosingTag;
use crate::ast::NodeData;
use crate::parse::element::parse_element;
use crate::parse::element::parse_tag;
use crate::parse::element::ParsedTag;
use crate::parse::Code;
use crate::ast::Attributes;
use std::borrow::Cow;
use minify_html_common::spec::tag::ns::Namespace;
use minify_html_common::spec::tag::EMPTY_SLICE;

fn val(v: &[u8]) -> AttrVal<'static> {
  AttrVal {
    value: Cow::Owned(v.to_vec()),
    quote: None,
  }
}

#[test]
fn test_parse_tag() {
  let mut code = Code::new(
    br###"<input type


				 =
			"password"  "a"  = "  b  "   :cd  /e /=fg 	= /\h /i/ /j/k/l m=n=o q==\r/s/ / t] = /u  / w=//>"###,
  );
  let tag = parse_tag(&mut code);
  assert_eq!(tag, ParsedTag {
    attributes: {
      let mut map = Attributes::default();
      map.insert(Cow::Owned(b"type".to_vec()), val(b"password"));
      map.insert(Cow::Owned(b"\"a\"".to_vec()), val(b"  b  "));
      map.insert(Cow::Owned(b":cd".to_vec()), val(b""));
      map.insert(Cow::Owned(b"e".to_vec()), val(b""));
      map.insert(Cow::Owned(b"=fg".to_vec()), val(b"/\\h"));
      map.insert(Cow::Owned(b"i".to_vec()), val(b""));
      map.insert(Cow::Owned(b"j".to_vec()), val(b""));
      map.insert(Cow::Owned(b"k".to_vec()), val(b""));
      map.insert(Cow::Owned(b"l".to_vec()), val(b""));
      map.insert(Cow::Owned(b"m".to_vec()), val(b"n=o"));
      map.insert(Cow::Owned(b"q".to_vec()), val(b"=\\r/s/"));
      map.insert(Cow::Owned(b"t]".to_vec()), val(b"/u"));
      map.insert(Cow::Owned(b"w".to_vec()), val(b"//"));
      map
    },
    name: Cow::Owned(b"input".to_vec()),
    self_closing: false,
  });
}

#[test]
fn test_parse_element() {
  let mut code = Code::new(br#"<a b=\"c\"></a>"#);
  let elem = parse_element(&mut code, Namespace::Html, EMPTY_SLICE);
  assert_eq!(elem, NodeData::Element {
    attributes: {
      let mut map = Attributes::default();
      map.insert(Cow::Owned(b"b".to_vec()), val(br#"\"c\""#));
      map
    },
    children: vec![],
    closing_tag: ElementClosingTag::Present,
    name: Cow::Owned(b"a".to_vec()),
    namespace: Namespace::Html,
    next_sibling_element_name: Cow::default(),
  });
}

#[test]
fn test_parse_tag_with_many_attributes_keeps_the_last_value_of_each() {
  let mut src = b"<p".to_vec();
  for round in 0..2 {
    for i in 0..40 {
      src.extend_from_slice(format!(" a{}={}", i, round).as_bytes());
    }
  }
  src.push(b'>');
  let mut code = Code::new(&src);
  let tag = parse_tag(&mut code);
  let mut want = Attributes::default();
  for i in (0..40).rev() {
    want.insert(Cow::Owned(format!("a{}", i).into_bytes()), val(b"1"));
  }
  assert_eq!(tag.attributes, want);
  assert_eq!(tag.attributes.iter().count(), 40);
  assert_eq!(tag.attributes.iter().next().unwrap().0.as_ref(), b"a0");
}
