// swift-tools-version:6.1
import PackageDescription

/// One settings array for every target: Swift 6 language mode with the upcoming features the
/// Hummingbird and GRDB codebases enable.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-response",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "swift-response", targets: ["swift-response"]),
        .library(name: "ResponseCore", targets: ["ResponseCore"]),
        .library(name: "ResponseStore", targets: ["ResponseStore"]),
        .library(name: "ResponseDispatch", targets: ["ResponseDispatch"]),
        .library(name: "ResponseInsight", targets: ["ResponseInsight"]),
        .library(name: "ResponseServer", targets: ["ResponseServer"]),
    ],
    traits: [
        // Off by default: the OTLP exporter brings swift-protobuf and async-http-client.
        .trait(name: "OpenTelemetry", description: "serve --traces-endpoint: request traces over OTLP/HTTP (swift-otel)"),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        .target(
            name: "ResponseCore",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ResponseStore",
            dependencies: [
                "ResponseCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ResponseDispatch",
            dependencies: ["ResponseCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ResponseInsight",
            dependencies: ["ResponseCore", "ResponseStore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ResponseServer",
            dependencies: [
                "ResponseCore",
                "ResponseStore",
                "ResponseDispatch",
                "ResponseInsight",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "swift-response",
            dependencies: [
                "ResponseCore",
                "ResponseStore",
                "ResponseDispatch",
                "ResponseInsight",
                "ResponseServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "OTel", package: "swift-otel", condition: .when(traits: ["OpenTelemetry"])),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ResponseCoreTests",
            dependencies: ["ResponseCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ResponseStoreTests",
            dependencies: ["ResponseCore", "ResponseStore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ResponseDispatchTests",
            dependencies: ["ResponseCore", "ResponseDispatch"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ResponseInsightTests",
            dependencies: ["ResponseCore", "ResponseStore", "ResponseInsight"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ResponseServerTests",
            dependencies: [
                "ResponseCore",
                "ResponseStore",
                "ResponseDispatch",
                "ResponseInsight",
                "ResponseServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)
