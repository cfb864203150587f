// The CSS and the small script embedded in every HTML report (reports/html_report.cpp). Nothing
// here loads anything from the network: no fonts, no images, no url().
#pragma once

namespace xborder::html_assets {

inline constexpr const char* kCss = R"CSS(
:root{--red:#c81e1e;--red-bg:#fdecec;--amber:#b77400;--amber-bg:#fff4dc;--green:#1e7a3c;--green-bg:#e7f6ec;
--ink:#1d232b;--muted:#5b6470;--line:#d5dae1;--bg:#f6f7f9;--blue:#2f6fdf;--purple:#8a3ffc;--teal:#0f8b8d}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK JP","Hiragino Sans",Meiryo,sans-serif;
color:var(--ink);background:var(--bg);font-size:14px;line-height:1.45}
body{margin:0 auto;max-width:1360px;padding:16px 24px 48px}
html[lang=en] .ja{display:none}
html[lang=ja] .en{display:none}
header.top{display:flex;align-items:flex-start;justify-content:space-between;gap:16px;border-bottom:3px solid var(--ink);padding-bottom:8px}
h1{font-size:22px;margin:4px 0}
h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
h4{font-size:13px;margin:10px 0 4px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.sub{color:var(--muted);margin:0}
button#lang-switch{font:inherit;padding:6px 14px;border:1px solid var(--ink);background:#fff;border-radius:4px;cursor:pointer;white-space:nowrap}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:4px 16px 14px;margin-top:16px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:130px;background:#fff}
.card .n{font-size:24px;font-weight:700;display:block}
.card.violation{border-color:var(--red);background:var(--red-bg)}
.card.undetermined{border-color:var(--amber);background:var(--amber-bg)}
.card.compliant{border-color:var(--green);background:var(--green-bg)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.nowrap{white-space:nowrap}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.badge.violation{background:var(--red);color:#fff}
.badge.undetermined{background:var(--amber);color:#fff}
.badge.compliant{background:var(--green);color:#fff}
.badge.implicit{background:#e4e7ec;color:var(--ink);font-weight:500}
tr.finding.violation td:first-child{border-left:4px solid var(--red)}
tr.finding.undetermined td:first-child{border-left:4px solid var(--amber)}
tr.finding.compliant td:first-child{border-left:4px solid var(--green)}
code,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12px}
.filters{display:none;gap:14px;align-items:center;margin:8px 0}
html.js .filters{display:flex}
.filters select{font:inherit;padding:2px 4px}
.graph-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:4px;background:#fcfcfd}
svg.graph{display:block;width:100%;height:auto;min-width:720px}
svg .node rect.box{fill:#fff;stroke:#7b8490;stroke-width:1.2}
svg .node.party rect.box{fill:#f3f6fb}
svg .node.remote_access rect.box{fill:#eefaf9}
svg .node.violation rect.box{stroke:var(--red);stroke-width:3;fill:var(--red-bg)}
svg .node.undetermined rect.box{stroke:var(--amber);stroke-width:3;fill:var(--amber-bg)}
svg .node .id{font:600 12px ui-monospace,Menlo,Consolas,monospace;fill:var(--ink)}
svg .node .lbl{font-size:11px;fill:var(--muted)}
svg .node .cc{font:700 11px system-ui,sans-serif;fill:#fff}
svg .node .ccbox{fill:#4a5563}
svg .edge{fill:none;stroke-width:1.6}
svg .edge.flow{stroke:#5b6470}
svg .edge.hosting{stroke:var(--blue)}
svg .edge.replication{stroke:var(--purple)}
svg .edge.remote_access{stroke:var(--teal)}
svg .edge.implicit{stroke-dasharray:6 4}
svg .edge.violation{stroke:var(--red);stroke-width:3}
svg .edge.undetermined{stroke:var(--amber);stroke-width:3}
svg .elabel{font-size:10px;fill:var(--muted);paint-order:stroke;stroke:#fcfcfd;stroke-width:3px}
.legend{display:flex;flex-wrap:wrap;gap:16px;font-size:12px;color:var(--muted);margin:6px 0}
.legend svg{vertical-align:middle}
details.finding{border:1px solid var(--line);border-radius:6px;margin:10px 0;padding:6px 12px;background:#fff}
details.finding.violation{border-left:5px solid var(--red)}
details.finding.undetermined{border-left:5px solid var(--amber)}
details.finding.compliant{border-left:5px solid var(--green)}
details.finding>summary{cursor:pointer;font-weight:600}
.steps{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.step{border:1px solid var(--line);border-radius:4px;padding:4px 10px 8px}
.step.wide{grid-column:1 / -1}
ol.flow{margin:4px 0;padding-left:22px}
ol.flow li{margin:3px 0}
.why{color:var(--muted);font-size:12px}
.added{color:var(--red);font-weight:600}
.muted{color:var(--muted)}
ul.tight{margin:2px 0;padding-left:18px}
.open{color:var(--amber)}
#selftest{font-family:ui-monospace,monospace;font-size:12px;margin-top:16px;color:var(--muted)}
@media print{.filters,button#lang-switch{display:none}body{max-width:none}}
)CSS";

inline constexpr const char* kScript = R"JS(
(function(){
var root=document.documentElement;root.classList.add('js');
function setLang(l){root.lang=l;
 document.querySelectorAll('[data-en]').forEach(function(o){o.textContent=o.getAttribute('data-'+l)||o.getAttribute('data-en');});}
var btn=document.getElementById('lang-switch');
if(btn)btn.addEventListener('click',function(){setLang(root.lang==='ja'?'en':'ja');});
var fv=document.getElementById('filter-verdict'),fp=document.getElementById('filter-place');
function applyFilter(){var v=fv?fv.value:'',p=fp?fp.value:'';
 document.querySelectorAll('[data-verdict]').forEach(function(r){
  var show=(!v||r.getAttribute('data-verdict')===v)&&(!p||r.getAttribute('data-place')===p);
  r.style.display=show?'':'none';});}
if(fv)fv.addEventListener('change',applyFilter);
if(fp)fp.addEventListener('change',applyFilter);
applyFilter();
function selftest(){
 var out=[],ok=true;
 function check(name,cond){out.push((cond?'ok ':'FAIL ')+name);if(!cond)ok=false;}
 function shown(el){return !!el&&getComputedStyle(el).display!=='none';}
 var rows=[].slice.call(document.querySelectorAll('tr.finding'));
 var total=parseInt((document.getElementById('count-total')||{}).textContent,10);
 check('findings rows '+rows.length+' = summary '+total,rows.length===total&&(total>0||!!document.getElementById('no-findings')));
 var svg=document.querySelector('svg.graph'),nodes=svg?svg.querySelectorAll('g.node').length:0;
 check('graph nodes '+nodes,!!svg&&nodes>0&&nodes===parseInt(svg.getAttribute('data-nodes'),10));
 var en=document.querySelector('#summary h2 .en'),ja=document.querySelector('#summary h2 .ja');
 check('english by default',shown(en)&&!shown(ja));
 btn.click();
 var opt=fv?fv.options[0].textContent:'';
 check('switch to japanese',root.lang==='ja'&&shown(ja)&&!shown(en)&&opt===fv.options[0].getAttribute('data-ja'));
 btn.click();
 check('switch back to english',root.lang==='en'&&shown(en)&&!shown(ja)&&fv.options[0].textContent===fv.options[0].getAttribute('data-en'));
 var verdicts=['violation','undetermined','compliant'],pick=verdicts[0];
 for(var i=0;i<verdicts.length;i++){if(rows.some(function(r){return r.getAttribute('data-verdict')===verdicts[i];})){pick=verdicts[i];break;}}
 var absent=verdicts.filter(function(v){return !rows.some(function(r){return r.getAttribute('data-verdict')===v;});})[0];
 fv.value=pick;fv.dispatchEvent(new Event('change'));
 var vis=rows.filter(shown),want=rows.filter(function(r){return r.getAttribute('data-verdict')===pick;});
 check('filter '+pick+' shows '+vis.length+' of '+rows.length,vis.length===want.length&&vis.every(function(r){return r.getAttribute('data-verdict')===pick;}));
 if(absent){fv.value=absent;fv.dispatchEvent(new Event('change'));
  check('filter '+absent+' hides all rows',rows.filter(shown).length===0);}
 fv.value='';fv.dispatchEvent(new Event('change'));
 check('filter reset shows all',rows.filter(shown).length===rows.length);
 if(fp&&fp.options.length>1&&rows.length){var place=fp.options[1].value;fp.value=place;fp.dispatchEvent(new Event('change'));
  var pv=rows.filter(shown);
  check('place filter '+place+' shows '+pv.length,pv.length>0&&pv.every(function(r){return r.getAttribute('data-place')===place;}));
  fp.value='';fp.dispatchEvent(new Event('change'));}
 var el=document.getElementById('selftest');
 el.textContent=(ok?'PASS ':'FAIL ')+out.join('; ');
}
if(location.hash==='#selftest'){try{selftest();}catch(e){document.getElementById('selftest').textContent='FAIL exception '+e;}}
})();
)JS";

}  // namespace xborder::html_assets
