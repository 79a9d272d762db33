"""The small web page served at /. Plain HTML and JS, nothing fetched from a network."""

INDEX_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>指标 zhibiao</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:4px 8px}.failed{color:#b00}</style></head>
<body><h1>指标 · 政府工作报告数据</h1>
<h2>文档</h2><table id="docs"><thead><tr><th>文件</th><th>地区</th><th>年份</th><th>状态</th><th>错误</th></tr></thead>
<tbody></tbody></table>
<script>
async function load(){
  const r = await fetch('/v1/documents?limit=1000'); const page = await r.json();
  const tb = document.querySelector('#docs tbody'); tb.innerHTML='';
  for (const d of page.items){
    const tr = document.createElement('tr');
    for (const v of [d.source_name, d.region||'', d.plan_year||'', d.status, d.error||'']){
      const td = document.createElement('td'); td.textContent = v; tr.appendChild(td);}
    if (d.status==='failed') tr.className='failed';
    tb.appendChild(tr);}
}
load(); setInterval(load, 3000);
</script></body></html>
"""
