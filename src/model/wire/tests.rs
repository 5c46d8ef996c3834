//! The wire story reader on small NITF and NewsML-G2 documents written for these tests.

use super::*;

fn parse(name: &str, s: &str) -> Result<Story> {
    parse_wire(Path::new(name), s)
}

/// A paragraph with one span of emphasis over `span`.
fn rich(text: &str, span: &str, kind: crate::model::emphasis::Emphasis) -> Block {
    let start = text.find(span).expect("the span is in the text");
    Block::Rich(
        text.into(),
        vec![crate::model::emphasis::Span {
            range: start..start + span.len(),
            kind,
        }],
    )
}

const NITF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nitf SYSTEM "nitf-3-5.dtd">
<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" version="-//IPTC//DTD NITF 3.5//EN">
  <head>
    <title>平顶山今年新建改建农村公路600公里</title>
    <docdata>
      <doc-id id-string="XIN20240105-0123"/>
      <date.issue norm="20240105T083000+0800"/>
    </docdata>
  </head>
  <body>
    <body.head>
      <hedline>
        <hl1>平顶山今年新建改建
            农村公路600公里</hl1>
        <hl2>&#x201C;四好农村路&#x201D;连起城乡</hl2>
      </hedline>
      <byline>本报记者 <person>王晓燕</person> <byttl>通讯员</byttl> 李&#x660E;</byline>
      <dateline><location>平顶山</location>1月5日电</dateline>
    </body.head>
    <body.content>
      <p>　　记者从市交通运输局获悉，今年我市将新建改建
          农村公路600公里，其中<em>通村通组</em>道路
          占一半以上。</p>
      <hl2>养护：<b>路长制</b>全覆盖</hl2>
      <p>The <org>World Bank</org> loan of
          US$ 120 million   covers   maintenance &amp; repair.</p>
      <media media-type="image">
        <media-reference source="photos/road.jpg" mime-type="image/jpeg"/>
        <media-caption>新修的村道</media-caption>
      </media>
      <table>
        <tr><th>县区</th><th>里程</th></tr>
        <tr><td>郏县</td><td>120公里</td></tr>
      </table>
      <widget>试点 村</widget>
    </body.content>
    <body.end>
      <tagline>（完）</tagline>
    </body.end>
  </body>
</nitf>
"#;

#[test]
fn nitf_maps_headline_subhead_byline_and_copy() {
    let s = parse("stories/gonglu.xml", NITF).unwrap();
    assert_eq!(s.id, "gonglu");
    assert_eq!(s.headline, "平顶山今年新建改建农村公路600公里");
    assert_eq!(s.subhead.as_deref(), Some("“四好农村路”连起城乡"));
    assert_eq!(s.byline.as_deref(), Some("本报记者 王晓燕 通讯员 李明"));
    assert_eq!(s.kicker, None);
    assert_eq!(
        s.blocks,
        vec![
            rich(
                "记者从市交通运输局获悉，今年我市将新建改建农村公路600公里，其中通村通组道路占一半以上。",
                "通村通组",
                crate::model::emphasis::Emphasis::Emphasis
            ),
            Block::CrossHead("养护：路长制全覆盖".into()),
            Block::Paragraph(
                "The World Bank loan of US$ 120 million covers maintenance & repair.".into()
            ),
            Block::Paragraph("县区 里程".into()),
            Block::Paragraph("郏县 120公里".into()),
            Block::Paragraph("试点村".into()),
            Block::Paragraph("（完）".into()),
        ]
    );
}

#[test]
fn nitf_notes_what_it_does_not_map_with_lines() {
    let s = parse("stories/gonglu.xml", NITF).unwrap();
    let find = |what: &str| {
        s.notes
            .iter()
            .find(|n| n.contains(what))
            .unwrap_or_else(|| panic!("no note with {what}: {:#?}", s.notes))
            .clone()
    };
    assert!(
        find("`<dateline>`").starts_with("line 19: "),
        "{:?}",
        s.notes
    );
    assert!(find("平顶山1月5日电").contains("not set"));
    // Emphasis in a paragraph is set; in a cross-head it is plain text, noted once.
    let emphasis: Vec<_> = s.notes.iter().filter(|n| n.contains("emphasis")).collect();
    assert_eq!(emphasis.len(), 1, "{:?}", s.notes);
    assert!(emphasis[0].starts_with("line 25: "), "{emphasis:?}");
    let media = find("`<media>`");
    assert!(media.starts_with("line 28: "), "{media}");
    assert!(
        media.contains("photos/road.jpg") && media.contains("新修的村道"),
        "{media}"
    );
    assert!(find("`<table>`").starts_with("line 32: "));
    assert!(find("`<widget>`").starts_with("line 36: "));
    assert!(find("`<tagline>`").starts_with("line 39: "));
    // Semantic NITF markup (person, org, location) is read silently; the head is metadata.
    assert!(!s
        .notes
        .iter()
        .any(|n| n.contains("person") || n.contains("docdata")));
    let lines: Vec<usize> = s
        .notes
        .iter()
        .map(|n| n[5..n.find(':').unwrap()].parse().unwrap())
        .collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

const G2_NITF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"
    guid="urn:newsml:xinhuanet.com:20240105:c_1130056" version="1"
    standard="NewsML-G2" standardversion="2.29" conformance="power" xml:lang="zh-CN">
  <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"/>
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:XINHUA"/>
    <versionCreated>2024-01-05T10:00:00+08:00</versionCreated>
  </itemMeta>
  <contentMeta>
    <urgency>4</urgency>
    <headline>冬季旅游带火
        豫西山村</headline>
    <headline role="hlrole:sub">尧山滑雪场日均接待游客三千人次</headline>
    <by>新华社记者 张&#x5F3A;</by>
    <dateline>新华社郑州1月5日电</dateline>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/nitf+xml">
      <nx:nitf xmlns:nx="http://iptc.org/std/NITF/2006-10-18/">
        <nx:body>
          <nx:body.head>
            <nx:hedline><nx:hl1>冬季旅游带火豫西山村</nx:hl1></nx:hedline>
          </nx:body.head>
          <nx:body.content>
            <nx:p>进入一月，鲁山县尧山脚下的
                民宿几乎天天客满。</nx:p>
            <nx:block>
              <nx:p>“去年冬天还冷冷清清，”村民刘桂芳说，“今年<nx:strong>一房难求</nx:strong>。”</nx:p>
            </nx:block>
            <nx:hl2>配套跟上</nx:hl2>
            <nx:p><![CDATA[当地新修停车场 & 游客中心。]]></nx:p>
          </nx:body.content>
        </nx:body>
      </nx:nitf>
    </inlineXML>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><body><p>另一种格式</p></body></html>
    </inlineXML>
  </contentSet>
</newsItem>
"#;

#[test]
fn newsml_g2_with_inline_nitf_matches_local_names() {
    let s = parse("stories/lvyou.xml", G2_NITF).unwrap();
    assert_eq!(s.id, "lvyou");
    assert_eq!(s.headline, "冬季旅游带火豫西山村");
    assert_eq!(s.subhead.as_deref(), Some("尧山滑雪场日均接待游客三千人次"));
    assert_eq!(s.byline.as_deref(), Some("新华社记者 张强"));
    assert_eq!(
        s.blocks,
        vec![
            Block::Paragraph("进入一月，鲁山县尧山脚下的民宿几乎天天客满。".into()),
            rich(
                "“去年冬天还冷冷清清，”村民刘桂芳说，“今年一房难求。”",
                "一房难求",
                crate::model::emphasis::Emphasis::Strong
            ),
            Block::CrossHead("配套跟上".into()),
            Block::Paragraph("当地新修停车场 & 游客中心。".into()),
        ]
    );
    let has = |what: &str| s.notes.iter().any(|n| n.contains(what));
    // The same headline twice (contentMeta and hl1) is no news; the dateline, the block and
    // the second rendition are (the emphasis is set).
    assert!(!has("second headline"), "{:#?}", s.notes);
    assert!(has("新华社郑州1月5日电") && has("`<block>`") && !has("emphasis"));
    assert!(has("another rendition"), "{:#?}", s.notes);
    assert!(!has("urgency") && !has("itemMeta"));
}

#[test]
fn newsml_g2_with_xhtml_takes_h1_h2_p() {
    let src = r#"<?xml version="1.0" encoding="utf-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" version="1" standard="NewsML-G2" standardversion="2.29">
  <itemMeta><itemClass qcode="ninat:text"/></itemMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml">
        <head><title>页面标题</title></head>
        <body>
          <h1>湛河 治理<br/>再提速</h1>
          <p>今年汛期前，湛河<i>十二公里</i>河道将完成清淤。</p>
          <h2>一河一策</h2>
          <p>每段河道都有“河长”。</p>
          <h3>记者手记</h3>
          <div><p>清淤现场机声隆隆。</p></div>
          <ul><li>清淤</li><li>护岸</li></ul>
          <img src="photos/he.jpg" alt="湛河清淤现场"/>
        </body>
      </html>
    </inlineXML>
  </contentSet>
</newsItem>"#;
    let s = parse("stories/zhanhe.xml", src).unwrap();
    assert_eq!(s.headline, "湛河 治理\n再提速");
    assert_eq!(s.byline, None);
    assert_eq!(
        s.blocks,
        vec![
            rich(
                "今年汛期前，湛河十二公里河道将完成清淤。",
                "十二公里",
                crate::model::emphasis::Emphasis::Emphasis
            ),
            Block::CrossHead("一河一策".into()),
            Block::Paragraph("每段河道都有“河长”。".into()),
            Block::CrossHead("记者手记".into()),
            Block::Paragraph("清淤现场机声隆隆。".into()),
            Block::Paragraph("清淤".into()),
            Block::Paragraph("护岸".into()),
        ]
    );
    let has = |what: &str| s.notes.iter().any(|n| n.contains(what));
    assert!(has("`<h3>`") && has("`<ul>`") && has("湛河清淤现场") && has("photos/he.jpg"));
    assert!(
        !has("emphasis"),
        "the <i> is set, not noted: {:#?}",
        s.notes
    );
    assert!(!has("title") && !has("`<div>`"), "{:#?}", s.notes);
}

#[test]
fn malformed_xml_points_at_line_and_column() {
    let src = "<?xml version=\"1.0\"?>\n<nitf>\n  <body>\n    <p>正文</b>\n  </body>\n</nitf>\n";
    let e = parse("stories/bad.xml", src).unwrap_err().to_string();
    assert!(e.starts_with("stories/bad.xml:4:"), "{e}");
    assert!(e.contains("malformed XML") && e.contains("`</b>`"), "{e}");
    let e = parse("s.xml", "<nitf><body><p>a &nbsp; b</p></body></nitf>")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("s.xml:1:") && e.contains("`&nbsp;`"), "{e}");
    assert!(e.contains("&#160;"), "{e}");
    // Cut short: at the end of the file.
    let e = parse("s.xml", "<nitf>\n<body>\n<p>正文")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("s.xml:3:"), "{e}");
    // Every cut of a real document, and markup dropped into it anywhere, is an error or a
    // story, never a panic.
    for (i, _) in G2_NITF.char_indices() {
        let _ = parse("s.xml", &G2_NITF[..i]);
        for bit in [
            "<",
            "&",
            "</p>",
            "<br/>",
            "<em>",
            "]]>",
            "&#x85;",
            "<table><tr>",
        ] {
            let _ = parse("s.xml", &format!("{}{bit}{}", &G2_NITF[..i], &G2_NITF[i..]));
        }
    }
}

#[test]
fn a_story_without_headline_or_copy_is_refused() {
    let e = parse(
        "s.xml",
        "<?xml version=\"1.0\"?>\n<nitf><body><body.content><p>正文</p></body.content></body></nitf>",
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("s.xml:2:1: the story has no headline"), "{e}");
    assert!(e.contains("hl1"), "{e}");
    let e = parse(
        "s.xml",
        "<nitf><body><body.head><hedline><hl1> </hl1></hedline></body.head><body.content><p>正文</p></body.content></body></nitf>",
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("s.xml:1:33: the headline is empty"), "{e}");
    let e = parse(
        "s.xml",
        "<nitf><body><body.head><hedline><hl1>标题</hl1></hedline></body.head></body></nitf>",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("no copy"), "{e}");
    let e = parse("s.xml", "<rss><channel/></rss>")
        .unwrap_err()
        .to_string();
    assert!(e.contains("`<rss>` is neither NITF"), "{e}");
}

#[test]
fn control_characters_are_refused_where_written() {
    let src = "<nitf><body><body.head><hedline><hl1>标题</hl1></hedline></body.head>\n<body.content><p>正&#x85;文</p></body.content></body></nitf>";
    let e = parse("s.xml", src).unwrap_err().to_string();
    assert!(e.starts_with("s.xml:2:19:") && e.contains("U+0085"), "{e}");
    let e = parse("s.xml", "<nitf>\n<p>&#7;</p></nitf>")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("s.xml:2:4:") && e.contains("U+0007 (BEL)"),
        "{e}"
    );
    let e = parse("s.xml", "<nitf>\u{7}</nitf>")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("s.xml:1:7:") && e.contains("U+0007 (BEL)"),
        "{e}"
    );
}

#[test]
fn loose_text_deep_nesting_and_bundles() {
    let head = "<nitf><body><body.head><hedline><hl1>标题</hl1></hedline></body.head>";
    // Text straight in a container, with markup between: one paragraph.
    let src = format!("{head}<body.content><div>第一段，<em>强调</em>\n  继续<br/>同段</div><p>第二段</p></body.content></body></nitf>");
    let s = parse("s.xml", &src).unwrap();
    assert_eq!(
        s.blocks,
        vec![
            Block::Paragraph("第一段，强调继续同段".into()),
            Block::Paragraph("第二段".into())
        ]
    );
    assert!(s
        .notes
        .iter()
        .any(|n| n.contains("outside a paragraph (in `<div>`)")));
    assert!(
        s.notes.iter().any(|n| n.contains("`<br/>`")),
        "{:?}",
        s.notes
    );
    // Nesting deeper than the reader recurses: read, never a stack overflow.
    let n = 20_000;
    let src = format!(
        "{head}<body.content>{}<p>正文</p>{}</body.content></body></nitf>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let s = parse("s.xml", &src).unwrap();
    assert_eq!(s.blocks, vec![Block::Paragraph("正文".into())]);
    assert!(
        s.notes.iter().any(|n| n.contains("nested more than")),
        "{:?}",
        s.notes
    );
    // An empty headline is replaced by a later one; a NewsML-G2 bundle is refused.
    let src = "<newsItem><contentMeta><headline/></contentMeta><contentSet><inlineXML><html><body><h1>真标题</h1><p>正文</p></body></html></inlineXML></contentSet></newsItem>";
    assert_eq!(parse("s.xml", src).unwrap().headline, "真标题");
    // The same headline twice, broken differently, is one; a different one is named.
    let src = "<newsItem><contentMeta><headline>冬季 旅游</headline></contentMeta><contentSet><inlineXML><html><body><h1>冬季\n旅游</h1><h1>另一标题</h1><p>正文</p></body></html></inlineXML></contentSet></newsItem>";
    let s = parse("s.xml", src).unwrap();
    assert_eq!(s.headline, "冬季 旅游");
    assert_eq!(s.blocks[0], Block::CrossHead("另一标题".into()));
    assert_eq!(s.notes.len(), 1, "{:?}", s.notes);
    assert!(s.notes[0].contains("a second headline"), "{:?}", s.notes);
    let e = parse("s.xml", "<newsMessage><itemSet/></newsMessage>")
        .unwrap_err()
        .to_string();
    assert!(e.contains("newsMessage") && e.contains("of its own"), "{e}");
}

#[test]
fn white_space_is_collapsed_by_script() {
    assert_eq!(collapse("  第一\n    第二  ", false), "第一第二");
    assert_eq!(collapse("中文 中文", false), "中文中文");
    assert_eq!(collapse("GDP\n  growth", false), "GDP growth");
    assert_eq!(collapse("增长\n  GDP", false), "增长GDP");
    assert_eq!(collapse("增长 GDP 5%", false), "增长 GDP 5%");
    assert_eq!(collapse("他说 “好”", false), "他说“好”");
    assert_eq!(collapse("He said “OK”", false), "He said “OK”");
    assert_eq!(collapse("한국 사람", false), "한국 사람");
    assert_eq!(collapse("　　正文\t内容", false), "正文内容");
    assert_eq!(
        collapse("新华社记者 张强\n  李明", true),
        "新华社记者 张强李明"
    );
}

#[test]
fn utf8_with_bom_and_another_declared_encoding() {
    let src = "\u{feff}<?xml version=\"1.0\" encoding=\"GB2312\"?>\n<nitf><body><body.head><hedline><hl1>标题</hl1></hedline></body.head><body.content><p>正文</p></body.content></body></nitf>";
    let s = parse("s.xml", src).unwrap();
    assert_eq!(s.headline, "标题");
    assert!(
        s.notes[0].starts_with("line 1: ") && s.notes[0].contains("GB2312"),
        "{:?}",
        s.notes
    );
}

#[test]
fn markdown_and_xml_are_told_apart() {
    use super::super::story::{is_wire, parse_story};
    assert!(is_wire(Path::new("a.XML"), "+++"));
    assert!(is_wire(Path::new("a.txt"), "\u{feff}\n <nitf/>"));
    assert!(!is_wire(Path::new("a.md"), "<nitf/>"));
    let s = parse_story(Path::new("stories/x.xml"), NITF).unwrap();
    assert_eq!(s.id, "x");
}

#[test]
fn newsml_g2_plain_inline_data_and_remote_content() {
    let src = r#"<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:2" version="1" standard="NewsML-G2" standardversion="2.29">
  <contentMeta>
    <headline>市区新增公交线路</headline>
    <description role="drol:summary">三条线路下周开通</description>
  </contentMeta>
  <contentSet>
    <remoteContent contenttype="application/pdf" href="http://example.com/a.pdf"/>
    <inlineData contenttype="text/plain">
      下周一起，市区新增3条公交线路，
      覆盖新城区的5个小区。

      Line 66 runs every 10 minutes.
    </inlineData>
  </contentSet>
</newsItem>"#;
    let s = parse("s.xml", src).unwrap();
    assert_eq!(
        s.blocks,
        vec![
            Block::Paragraph("下周一起，市区新增3条公交线路，覆盖新城区的5个小区。".into()),
            Block::Paragraph("Line 66 runs every 10 minutes.".into()),
        ]
    );
    let has = |what: &str| s.notes.iter().any(|n| n.contains(what));
    assert!(
        has("line 5: `<description>` “三条线路下周开通” is not set"),
        "{:?}",
        s.notes
    );
    assert!(
        has("line 8: remote content") && has("a.pdf"),
        "{:?}",
        s.notes
    );
}
