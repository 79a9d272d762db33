"""A report as a government portal serves it: the body wrapped in every kind of site chrome."""

from __future__ import annotations

from html import escape

from tests.formats.source import Block

# Chrome strings the HTML reader must drop; tests check none of them survives.
CHROME = (
    "某某市人民政府门户网站",
    "互动交流",
    "当前位置：",
    "【字体：大 中 小】",
    "分享到：",
    "打印本页",
    "关闭窗口",
    "来源：市政府办公厅",
    "责任编辑：王小明",
    "相关链接",
    "版权所有：某某市人民政府办公厅",
    "浙ICP备05012345号",
    "网站标识码",
    "图为市民在新建成的城市公园休憩",
    "var _hmt",
    "font-size",
)


def portal_page(items: list[Block], *, title: str, charset: str = "utf-8") -> bytes:
    body = "\n".join(
        f"<h3>{escape(b.text)}</h3>" if b.heading else f'<p style="text-indent:2em">{escape(b.text)}</p>' for b in items
    )
    middle = len(items) // 2
    picture = (
        '<p style="text-align:center"><img src="/pic/park.jpg" width="600"></p>\n'
        '<p style="text-align:center">图为市民在新建成的城市公园休憩</p>\n'
    )
    head, tail = body.split("\n")[:middle], body.split("\n")[middle:]
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{escape(title)}_某某市人民政府门户网站</title>
<style>.article p {{ font-size: 16px; line-height: 2; }}</style>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
</head>
<body>
<div class="header"><div class="logo"><a href="/">某某市人民政府门户网站</a></div>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="main">
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府工作报告</div>
<div class="article">
<h1 class="title">{escape(title)}</h1>
<div class="info"><span>来源：市政府办公厅</span> <span>发布时间：2022-03-30 09:12</span>
<span class="fontsize">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span></div>
<div class="content" id="zoom">
{chr(10).join(head)}
{picture}{chr(10).join(tail)}
</div>
<p class="editor">责任编辑：王小明</p>
<div class="bdshare">分享到：<a class="wx">微信</a><a class="wb">微博</a></div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="related"><h4>相关链接</h4><ul>
<li><a href="/a/1.html">市政府召开常务会议研究部署经济工作</a></li>
<li><a href="/a/2.html">关于2021年国民经济和社会发展计划执行情况的报告</a></li>
<li><a href="/a/3.html">图解：一图读懂政府工作报告</a></li></ul></div>
</div>
<div class="footer"><p>版权所有：某某市人民政府办公厅 &nbsp; 浙ICP备05012345号</p>
<p>网站标识码：3301000001 &nbsp; <a href="/sitemap">网站地图</a> &nbsp; <a href="/contact">联系我们</a></p></div>
</body></html>
"""
    # Pages that declare GBK or GB2312 are in practice GB18030 (characters beyond GBK occur).
    return page.encode("gb18030" if charset.lower() in ("gbk", "gb2312") else charset)
