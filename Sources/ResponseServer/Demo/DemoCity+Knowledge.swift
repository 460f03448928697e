import Foundation
import ResponseCore
import ResponseStore

extension DemoCity {
    /// Knowledge-base articles of the demo city (demo data): answers a call-taker reads out to
    /// close a consultation, in Chinese and English, filed under first-level categories by name.
    static let articles: [(id: String, category: String?, title: String, body: String)] = [
        ("kb-water-outage", "城乡建设", "计划停水查询 Planned water outages",
         "计划停水会提前24小时在自来水公司网站和小区公告栏公布。突发停水可拨打市自来水公司热线查询恢复时间。Planned water outages are announced 24 hours ahead on the water company's site and in each compound; for a sudden outage the water company's line gives the expected restoration time."),
        ("kb-heating-fee", "城乡建设", "供暖费缴纳与退费 Heating fees and refunds",
         "供暖期为每年11月15日至次年3月15日。供暖费可在热力公司营业厅、银行或手机应用缴纳；室温低于18℃可申请检测，确认不达标的按天退费。The heating season runs from 15 November to 15 March. Fees are paid at the heating company, banks or the app; if the room stays below 18 °C a measurement can be requested and confirmed days are refunded."),
        ("kb-pension", "劳动和社会保障", "城乡居民养老保险参保 Residents' pension insurance",
         "年满16周岁、未参加职工养老保险的居民可在户籍所在地街道（乡镇）社保窗口办理参保，携带身份证和户口簿。缴费档次每年可调整一次。Residents aged 16 or over who are not in the employees' pension scheme enrol at the social-insurance window of their street or township with ID card and household register; the contribution level may be changed once a year."),
        ("kb-unpaid-wages", "劳动和社会保障", "被拖欠工资怎么办 Unpaid wages",
         "保留劳动合同、考勤和工资条等证据，可向用人单位所在地人力资源和社会保障局劳动保障监察机构投诉，也可申请劳动仲裁（时效一年）。Keep the contract, attendance records and pay slips; complain to the labour inspection office of the human resources and social security bureau where the employer is, or apply for labour arbitration within one year."),
        ("kb-school-enrolment", "教育文体", "义务教育入学报名 School enrolment",
         "小学和初中入学实行划片招生，每年5月在教育局网站公布学区划分，6月网上报名。需准备户口簿、房产证明或居住证。Primary and middle schools enrol by catchment area: the areas are published on the education bureau's site in May and registration is online in June, with household register and proof of home or residence permit."),
        ("kb-noise-hours", "环境保护", "施工噪音限制时间 Construction noise hours",
         "晚22时至次日6时禁止产生噪声的建筑施工作业，因工艺需要连续作业的须持有生态环境部门证明并公告附近居民。夜间施工扰民可拨打12345投诉。Construction that makes noise is banned from 22:00 to 06:00 unless the ecology and environment bureau has certified the need and residents were told; report night-time construction noise to 12345."),
        ("kb-bus-card", "交通运输", "公交卡办理与挂失 Transit cards",
         "公交卡可在公交集团服务网点办理，学生卡和老年卡需携带证件原件。记名卡可挂失补办，挂失次日生效，余额转入新卡。Transit cards are issued at the bus company's service points; student and senior cards need the original ID. Registered cards can be reported lost and replaced; the block takes effect the next day and the balance moves to the new card."),
        ("kb-medical-insurance", "卫生计生", "异地就医备案 Medical treatment in another city",
         "跨省异地就医需先备案，可通过国家医保服务平台应用或参保地医保经办机构办理，备案后在定点医院直接结算。Treatment in another province must be registered first, through the national medical-insurance app or the local insurance office; registered patients settle directly at designated hospitals."),
        ("kb-business-licence", "经济管理", "个体工商户营业执照办理 Business licence for sole traders",
         "个体工商户可在政务服务网全程网上办理营业执照，材料齐全的一个工作日内办结，不收费。A sole trader's business licence can be applied for entirely online on the government services site; complete applications are done within one working day, free of charge."),
        ("kb-12345", nil, "12345热线受理范围 What the 12345 hotline handles",
         "12345受理企业和群众的咨询、求助、投诉、举报和建议，24小时服务。110、119、120等紧急事项请直接拨打对应号码。The 12345 hotline takes consultations, requests for help, complaints, reports and suggestions from residents and businesses, 24 hours a day. For emergencies call 110, 119 or 120 directly."),
        ("kb-expired-epidemic", "卫生计生", "临时核酸检测点（已过期）Temporary testing sites (expired)",
         "本条为已过期的历史答复，保留用于检索测试和审计。This is an expired historical answer, kept for audit."),
    ]

    /// Adds the demo articles that are missing (a demo database created before the knowledge
    /// base gets them on its next start).
    static func loadArticles(into store: any TicketStore, now: Date) async throws -> Int {
        let existing = Set(try await store.articles(tenantID: tenant.id).map(\.id))
        let categories = try await store.categories(tenantID: tenant.id)
        var added = 0
        for a in articles where !existing.contains(a.id) {
            let code = a.category.flatMap { name in categories.first { $0.level == 1 && $0.name == name }?.code }
            let expired = a.id.hasPrefix("kb-expired")
            try await store.saveArticle(KnowledgeArticle(
                id: a.id, tenantID: tenant.id, title: a.title, body: a.body, categories: code.map { [$0] } ?? [],
                validUntil: expired ? now.addingTimeInterval(-30 * 86_400) : nil, updatedAt: now, updatedBy: "demo"))
            added += 1
        }
        return added
    }
}
