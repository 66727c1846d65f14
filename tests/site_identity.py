"""The identity every built site must declare in site.yml (国办发〔2017〕47号).

`govpub build` refuses a site.yml without it (govpub.chrome.identity); fixtures that
write their own site.yml and build append :data:`IDENTITY_YML`.
"""

IDENTITY_YML = """\
organizer: 测试局
domain: www.example.gov.cn
site_code: "bm00000001"
icp: 京ICP备00000001号
public_security_record: 京公网安备11010800000001号
government_mark: {url: "https://bszs.conac.cn/"}
contact: {address: 北京市测试路1号, postcode: "100000", phone: 010-00000000, email: web@example.gov.cn}
footer_pages:
  zh: {about: about/site.md, contact: about/contact.md, privacy: about/privacy.md}
"""
