/* webpage.c: the frame, forms and notices of the web page, see webpage.h. */
#include "webpage.h"

#include <string.h>

#include "webtext.h"

void webpage_begin(struct xmlout *h, const char *title, enum webpage_task task)
{
    xo_raw(h, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<title>");
    xo_text(h, title);
    xo_raw(h, " — " WT_SITE_NAME "</title>\n"
              "<link rel=\"stylesheet\" href=\"/tai-nguyen/trang.css\">\n"
              "<script src=\"/tai-nguyen/trang.js\" defer></script>\n</head>\n<body>\n"
              "<a class=\"bo-qua\" href=\"#noi-dung\">" WT_SKIP_LINK "</a>\n"
              "<header>\n<p class=\"ten\"><a href=\"/\">" WT_SITE_NAME "</a></p>\n"
              "<nav aria-label=\"" WT_NAV_LABEL "\"><ul>\n");
    xo_printf(h, "<li><a href=\"/soan\"%s>%s</a></li>\n",
              task == WEBPAGE_SOAN ? " aria-current=\"page\"" : "", WT_TASK_SOAN);
    xo_printf(h, "<li><a href=\"/tong-hop\"%s>%s</a></li>\n",
              task == WEBPAGE_TONG_HOP ? " aria-current=\"page\"" : "", WT_TASK_TONG_HOP);
    xo_raw(h, "</ul></nav>\n</header>\n<main id=\"noi-dung\" tabindex=\"-1\">\n");
}

void webpage_end(struct xmlout *h, unsigned keep_minutes)
{
    xo_raw(h, "</main>\n<footer><p>");
    xo_printf(h, WT_FOOTER, keep_minutes);
    xo_raw(h, "</p></footer>\n</body>\n</html>\n");
}

void webpage_home(struct xmlout *h)
{
    xo_raw(h, "<h1>" WT_HOME_HEADING "</h1>\n<ul class=\"viec\">\n"
              "<li><h2><a href=\"/soan\">" WT_TASK_SOAN "</a></h2><p>" WT_HOME_SOAN "</p></li>\n"
              "<li><h2><a href=\"/tong-hop\">" WT_TASK_TONG_HOP "</a></h2><p>" WT_HOME_TONG_HOP
              "</p></li>\n</ul>\n");
}

void webpage_soan_intro(struct xmlout *h)
{
    xo_raw(h, "<h1>" WT_TASK_SOAN "</h1>\n<p>" WT_SOAN_INTRO "</p>\n");
}

void webpage_soan_form(struct xmlout *h, const char *text)
{
    xo_raw(h, "<form class=\"bieu-mau\" method=\"post\" action=\"/soan\" "
              "enctype=\"multipart/form-data\" accept-charset=\"UTF-8\">\n"
              "<div class=\"o\">\n<label for=\"noi_dung\">" WT_SOAN_TEXT_LABEL "</label>\n"
              "<p class=\"goi-y\" id=\"noi_dung_goi_y\">" WT_SOAN_TEXT_HINT "</p>\n"
              "<textarea id=\"noi_dung\" name=\"noi_dung\" rows=\"16\" spellcheck=\"false\" "
              "aria-describedby=\"noi_dung_goi_y\">");
    if (text) {
        /* a text area drops one new line right after its start tag: keep the text's own */
        if (text[0] == '\n' || (text[0] == '\r' && text[1] == '\n'))
            xo_raw(h, "\n");
        xo_text(h, text);
    }
    xo_raw(h, "</textarea>\n</div>\n"
              "<div class=\"o\">\n<label for=\"tep\">" WT_SOAN_FILE_LABEL "</label>\n"
              "<p class=\"goi-y\" id=\"tep_goi_y\">" WT_SOAN_FILE_HINT "</p>\n"
              "<input type=\"file\" id=\"tep\" name=\"tep\" accept=\".xml,.txt,text/xml,"
              "text/plain\" aria-describedby=\"tep_goi_y\">\n</div>\n"
              "<div class=\"gui\"><button type=\"submit\">" WT_SOAN_SUBMIT "</button>\n"
              "<p class=\"dang-xu-ly\" role=\"status\" aria-live=\"polite\"></p></div>\n"
              "</form>\n");
}

void webpage_tong_hop_intro(struct xmlout *h)
{
    xo_raw(h, "<h1>" WT_TASK_TONG_HOP "</h1>\n<p>" WT_TH_INTRO "</p>\n");
}

/* Writes a labelled text input holding value. */
static void text_input(struct xmlout *h, const char *id, const char *label, const char *value,
                       const char *extra)
{
    xo_printf(h, "<div class=\"o\">\n<label for=\"%s\">%s</label>\n"
                 "<input type=\"text\" id=\"%s\" name=\"%s\" value=\"",
              id, label, id, id);
    xo_text(h, value ? value : "");
    xo_printf(h, "\"%s>\n</div>\n", extra);
}

void webpage_tong_hop_form(struct xmlout *h, const struct webpage_report_form *f)
{
    xo_raw(h, "<form class=\"bieu-mau\" method=\"post\" action=\"/tong-hop\" "
              "enctype=\"multipart/form-data\" accept-charset=\"UTF-8\">\n"
              "<div class=\"o\">\n<label for=\"ho_so\">" WT_TH_PROFILE_LABEL "</label>\n"
              "<p class=\"goi-y\" id=\"ho_so_goi_y\">" WT_TH_PROFILE_HINT "</p>\n"
              "<select id=\"ho_so\" name=\"ho_so\" aria-describedby=\"ho_so_goi_y\">\n");
    for (size_t i = 0; i < f->profile_count; i++) {
        int chosen = f->chosen ? strcmp(f->chosen, f->profiles[i].id) == 0 : i == 0;
        xo_raw(h, "<option value=\"");
        xo_text(h, f->profiles[i].id);
        xo_printf(h, "\"%s>", chosen ? " selected" : "");
        xo_text(h, f->profiles[i].title);
        xo_raw(h, "</option>\n");
    }
    xo_printf(h, "<option value=\"\"%s>%s</option>\n</select>\n</div>\n",
              (f->chosen && !*f->chosen) || !f->profile_count ? " selected" : "",
              WT_TH_PROFILE_NEUTRAL);
    xo_printf(h, "<div class=\"o\">\n<label for=\"nam\">%s</label>\n"
                 "<input type=\"number\" id=\"nam\" name=\"nam\" min=\"1900\" max=\"9999\" "
                 "step=\"1\" required value=\"%d\">\n</div>\n",
              WT_TH_YEAR_LABEL, f->year);
    xo_raw(h, "<div class=\"o\">\n<label for=\"so_lieu\">" WT_TH_FILES_LABEL "</label>\n"
              "<p class=\"goi-y\" id=\"so_lieu_goi_y\">" WT_TH_FILES_HINT "</p>\n"
              "<input type=\"file\" id=\"so_lieu\" name=\"so_lieu\" multiple required "
              "accept=\".csv,.xlsx,text/csv\" aria-describedby=\"so_lieu_goi_y\">\n</div>\n"
              "<div class=\"o\">\n<label for=\"so_lieu_truoc\">" WT_TH_PREVIOUS_LABEL
              "</label>\n<p class=\"goi-y\" id=\"so_lieu_truoc_goi_y\">" WT_TH_PREVIOUS_HINT
              "</p>\n<input type=\"file\" id=\"so_lieu_truoc\" name=\"so_lieu_truoc\" multiple "
              "accept=\".csv,.xlsx,text/csv\" aria-describedby=\"so_lieu_truoc_goi_y\">\n</div>\n"
              "<fieldset>\n<legend>" WT_TH_DETAILS "</legend>\n"
              "<p class=\"goi-y\">" WT_TH_BLANK_HINT "</p>\n");
    text_input(h, "so", WT_TH_NUMBER_LABEL, f->number, " inputmode=\"numeric\"");
    text_input(h, "ngay", WT_TH_DATE_LABEL, f->date, " placeholder=\"2023-11-28\"");
    text_input(h, "nguoi_ky", WT_TH_SIGNER_LABEL, f->signer, "");
    xo_raw(h, "</fieldset>\n"
              "<div class=\"gui\"><button type=\"submit\">" WT_TH_SUBMIT "</button>\n"
              "<p class=\"dang-xu-ly\" role=\"status\" aria-live=\"polite\"></p></div>\n"
              "</form>\n");
}

void webpage_notice(struct xmlout *h, const char *title, const char *text, unsigned keep_minutes)
{
    webpage_begin(h, title, WEBPAGE_HOME);
    xo_raw(h, "<h1>");
    xo_text(h, title);
    xo_raw(h, "</h1>\n<p class=\"thong-bao\">");
    xo_raw(h, text);
    xo_raw(h, "</p>\n<p><a href=\"/\">" WT_BACK_HOME "</a></p>\n");
    webpage_end(h, keep_minutes);
}

const char webpage_css[] =
    ":root{--chu:#1b1b1b;--nen:#fff;--nhan:#0b4f8a;--loi:#a4161a;--canh-bao:#7a4b00;"
    "--tot:#1d6b2f;--vien:#8a8a8a;--nhe:#f3f5f8}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:1.05rem/1.5 \"Liberation Serif\",\"Times New Roman\",serif;"
    "color:var(--chu);background:var(--nen)}\n"
    "header,main,footer{max-width:62rem;margin:0 auto;padding:0 1rem}\n"
    "header{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;"
    "border-bottom:3px solid var(--nhan)}\n"
    "header .ten{font-weight:bold;font-size:1.4rem;margin:.6rem 1rem .6rem 0}\n"
    "header .ten a{color:var(--nhan);text-decoration:none}\n"
    "nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;margin:0;padding:0}\n"
    "nav a{display:inline-block;padding:.4rem .8rem;color:var(--nhan);border-radius:.3rem}\n"
    "nav a[aria-current=page]{background:var(--nhan);color:#fff}\n"
    "a{color:var(--nhan)}\n"
    ":focus{outline:none}\n"
    ":focus-visible,a:focus,button:focus,input:focus,select:focus,textarea:focus,"
    "summary:focus{outline:3px solid #ffbf47;outline-offset:2px;"
    "box-shadow:0 0 0 6px #1b1b1b}\n"
    "main:focus,h2:focus{outline:none;box-shadow:none}\n"
    ".bo-qua{position:absolute;left:-999rem}\n"
    ".bo-qua:focus{left:1rem;top:1rem;background:#fff;padding:.5rem 1rem;z-index:9}\n"
    ".an{position:absolute;left:-999rem}\n"
    "h1{font-size:1.7rem;margin:1.2rem 0 .6rem}\n"
    "h2{font-size:1.35rem;margin:1.2rem 0 .5rem}\n"
    "h3{font-size:1.15rem;margin:1.2rem 0 .4rem;border-bottom:1px solid var(--vien)}\n"
    "h4{font-size:1.05rem;margin:1rem 0 .3rem}\n"
    ".viec{list-style:none;padding:0;display:grid;gap:1rem;"
    "grid-template-columns:repeat(auto-fit,minmax(18rem,1fr))}\n"
    ".viec li{border:1px solid var(--vien);border-radius:.4rem;padding:0 1rem}\n"
    ".bieu-mau{background:var(--nhe);border:1px solid var(--vien);border-radius:.4rem;"
    "padding:.5rem 1rem 1rem;margin:1rem 0}\n"
    ".o{margin:.8rem 0}\n"
    "label,legend{display:block;font-weight:bold}\n"
    ".goi-y{margin:.1rem 0 .3rem;color:#444;font-size:.95rem}\n"
    "textarea{width:100%;font:.95rem/1.4 \"Liberation Mono\",monospace}\n"
    /* a browser's own monospace may lack Vietnamese letters: the page names its font */
    "code,pre{font-family:\"Liberation Mono\",monospace}\n"
    "input[type=text],input[type=number],select{font:inherit;padding:.3rem;min-width:16rem;"
    "max-width:100%}\n"
    "input[type=file]{font:inherit}\n"
    "fieldset{border:1px solid var(--vien);margin:1rem 0;padding:.5rem 1rem}\n"
    "button{font:inherit;font-weight:bold;background:var(--nhan);color:#fff;border:0;"
    "border-radius:.3rem;padding:.5rem 1.4rem;cursor:pointer}\n"
    "button[disabled]{opacity:.6}\n"
    ".gui{display:flex;align-items:center;gap:1rem;flex-wrap:wrap}\n"
    ".trang-thai{font-weight:bold;padding:.6rem 1rem;border-left:6px solid}\n"
    ".trang-thai.tot{border-color:var(--tot);background:#eef7ef}\n"
    ".trang-thai.hong{border-color:var(--loi);background:#fbeeee}\n"
    ".thong-bao{padding:.6rem 1rem;border-left:6px solid var(--loi);background:#fbeeee}\n"
    ".tai-ve ul{padding-left:1.2rem}\n"
    ".cau-truc{display:grid;grid-template-columns:minmax(9rem,auto) 1fr;gap:.3rem 1rem}\n"
    ".cau-truc dt{font-weight:bold}\n"
    ".cau-truc dd{margin:0}\n"
    ".cau-truc ul{margin:.2rem 0;padding-left:1.2rem}\n"
    "a.dong{font-size:.85rem}\n"
    ".cac-bao{padding-left:1.2rem}\n"
    ".bao{margin:.25rem 0}\n"
    ".muc-do{font-weight:bold}\n"
    ".bao.loi .muc-do{color:var(--loi)}\n"
    ".bao.canh-bao .muc-do{color:var(--canh-bao)}\n"
    ".cuon{overflow-x:auto}\n"
    "table{border-collapse:collapse}\n"
    ".cac-tep th,.cac-tep td{border:1px solid var(--vien);padding:.25rem .5rem;"
    "text-align:left;vertical-align:top}\n"
    ".cac-tep td.so{text-align:right}\n"
    ".nguon{width:100%;font:.9rem/1.35 \"Liberation Mono\",monospace}\n"
    ".nguon th{color:#555;text-align:right;padding:0 .6rem 0 0;vertical-align:top;"
    "font-weight:normal;user-select:none}\n"
    ".nguon td code{white-space:pre-wrap;word-break:break-word}\n"
    ".nguon tr.co-bao td{background:#fff4d6}\n"
    ".nguon tr.bao-dong td p{margin:0 0 .3rem;font-family:\"Liberation Serif\",serif;"
    "padding:.2rem .5rem;border-left:4px solid var(--loi);background:#fbeeee}\n"
    ".nguon tr.bao-dong td p.canh-bao{border-color:var(--canh-bao);background:#fdf5e6}\n"
    "tr:target td{outline:2px solid var(--nhan)}\n"
    "mark{background:#ffd24d;color:inherit;text-decoration:underline wavy var(--loi)}\n"
    "pre.trich{margin:.2rem 0 .5rem;padding:.3rem .5rem;background:var(--nhe);"
    "overflow-x:auto;white-space:pre-wrap}\n"
    ".xem-pdf{width:100%;height:48rem;border:1px solid var(--vien)}\n"
    "footer{margin-top:2rem;border-top:1px solid var(--vien);color:#444;font-size:.9rem}\n";

const char webpage_js[] =
    "// vanban serve: the forms work without this script; it only says that a request is\n"
    "// being made, keeps it from being sent twice, and counts the files chosen.\n"
    "'use strict';\n"
    "document.addEventListener('DOMContentLoaded', function () {\n"
    "  document.querySelectorAll('form.bieu-mau').forEach(function (form) {\n"
    "    form.addEventListener('submit', function () {\n"
    "      var button = form.querySelector('button[type=submit]');\n"
    "      var status = form.querySelector('.dang-xu-ly');\n"
    "      if (status) status.textContent = '" WT_WORKING "';\n"
    "      if (button) setTimeout(function () { button.disabled = true; }, 0);\n"
    "    });\n"
    "  });\n"
    "  document.querySelectorAll('input[type=file][multiple]').forEach(function (input) {\n"
    "    var note = document.createElement('p');\n"
    "    note.className = 'goi-y';\n"
    "    note.setAttribute('aria-live', 'polite');\n"
    "    input.insertAdjacentElement('afterend', note);\n"
    "    input.addEventListener('change', function () {\n"
    "      note.textContent = input.files.length ?\n"
    "        '" WT_FILES_CHOSEN "'.replace('%d', input.files.length) : '';\n"
    "    });\n"
    "  });\n"
    "  var result = document.getElementById('ket-qua');\n"
    "  if (result) result.focus();\n"
    "});\n";
