namespace FhirSecurity.Core.Errors;

/// <summary>
/// Every error id the module raises. They are stable: runbooks and tests match on them. The cmdlets append
/// ",&lt;command type&gt;" as PowerShell does for FullyQualifiedErrorId.
/// </summary>
public static class ErrorIds
{
    // Names and definitions.
#pragma warning disable CS1591 // The names say what they are; docs/errors.md explains each.
    public const string InvalidDefinitionName = nameof(InvalidDefinitionName);
    public const string DefinitionAlreadyExists = nameof(DefinitionAlreadyExists);
    public const string DefinitionNotFound = nameof(DefinitionNotFound);
    public const string DefinitionInUse = nameof(DefinitionInUse);
    public const string DefinitionCorrupt = nameof(DefinitionCorrupt);
    public const string DefinitionSchemaUnsupported = nameof(DefinitionSchemaUnsupported);
    public const string ReferencedDefinitionNotFound = nameof(ReferencedDefinitionNotFound);
    public const string ReferencedDefinitionWrongKind = nameof(ReferencedDefinitionWrongKind);

    // Basic Auth and OAuth.
    public const string BasicAuthUserNameInvalid = nameof(BasicAuthUserNameInvalid);
    public const string OAuthTokenUrlInvalid = nameof(OAuthTokenUrlInvalid);
    public const string OAuthClientIdInvalid = nameof(OAuthClientIdInvalid);
    public const string OAuthClientSecretMissing = nameof(OAuthClientSecretMissing);
    public const string OAuthScopeInvalid = nameof(OAuthScopeInvalid);
    public const string OAuthParameterReserved = nameof(OAuthParameterReserved);
    public const string OAuthParameterInvalid = nameof(OAuthParameterInvalid);

    // CA bundles.
    public const string CaBundleFileNotFound = nameof(CaBundleFileNotFound);
    public const string CaBundleInvalidPem = nameof(CaBundleInvalidPem);
    public const string CaBundleEmpty = nameof(CaBundleEmpty);
    public const string CaBundleContainsPrivateKey = nameof(CaBundleContainsPrivateKey);
    public const string CaBundleCertificateNotCa = nameof(CaBundleCertificateNotCa);
    public const string CaBundleCertificateExpired = nameof(CaBundleCertificateExpired);

    // Connections.
    public const string ConnectionBaseUriInvalid = nameof(ConnectionBaseUriInvalid);
    public const string ConnectionAuthenticationConflict = nameof(ConnectionAuthenticationConflict);
    public const string ConnectionCaBundleRequired = nameof(ConnectionCaBundleRequired);
    public const string ConnectionCaBundleUnused = nameof(ConnectionCaBundleUnused);
    public const string ConnectionTimeoutInvalid = nameof(ConnectionTimeoutInvalid);
    public const string ConnectionUnencryptedAuthentication = nameof(ConnectionUnencryptedAuthentication);

    // Calling servers.
    public const string TlsValidationFailed = nameof(TlsValidationFailed);
    public const string TlsRevocationUnknown = nameof(TlsRevocationUnknown);
    public const string TlsProtocolMismatch = nameof(TlsProtocolMismatch);
    public const string OAuthTokenRequestFailed = nameof(OAuthTokenRequestFailed);
    public const string OAuthTokenResponseInvalid = nameof(OAuthTokenResponseInvalid);
    public const string OAuthTokenEndpointUnreachable = nameof(OAuthTokenEndpointUnreachable);
    public const string OAuthTokenTimeout = nameof(OAuthTokenTimeout);
    public const string FhirRequestFailed = nameof(FhirRequestFailed);
    public const string FhirRequestTimeout = nameof(FhirRequestTimeout);
    public const string FhirServerUnreachable = nameof(FhirServerUnreachable);
    public const string FhirResponseInvalid = nameof(FhirResponseInvalid);
    public const string FhirBodyInvalid = nameof(FhirBodyInvalid);
    public const string FhirBodyNotConvertible = nameof(FhirBodyNotConvertible);
    public const string FhirPathInvalid = nameof(FhirPathInvalid);
    public const string FhirHeaderReserved = nameof(FhirHeaderReserved);
    public const string FhirRedirectInsecure = nameof(FhirRedirectInsecure);
    public const string FhirTooManyRedirects = nameof(FhirTooManyRedirects);

    // Vaults (SecretManagement).
    public const string SecretManagementNotInstalled = nameof(SecretManagementNotInstalled);
    public const string SecretVaultNotRegistered = nameof(SecretVaultNotRegistered);
    public const string SecretVaultNotFound = nameof(SecretVaultNotFound);
    public const string SecretVaultNoDefault = nameof(SecretVaultNoDefault);
    public const string SecretVaultLocked = nameof(SecretVaultLocked);
    public const string SecretVaultBusy = nameof(SecretVaultBusy);
    public const string SecretVaultError = nameof(SecretVaultError);

    // Test-FhirConnection: one id per failed step, whatever the cause, so a runbook can branch on the step.
    public const string ConnectionTestDnsFailed = nameof(ConnectionTestDnsFailed);
    public const string ConnectionTestTcpFailed = nameof(ConnectionTestTcpFailed);
    public const string ConnectionTestTlsFailed = nameof(ConnectionTestTlsFailed);
    public const string ConnectionTestTokenFailed = nameof(ConnectionTestTokenFailed);
    public const string ConnectionTestMetadataFailed = nameof(ConnectionTestMetadataFailed);
    public const string ConnectionTestClockSkew = nameof(ConnectionTestClockSkew);

    // SMART Backend Services: private_key_jwt client authentication and SMART discovery.
    public const string OAuthClientCredentialConflict = nameof(OAuthClientCredentialConflict);
    public const string OAuthPrivateKeyMissing = nameof(OAuthPrivateKeyMissing);
    public const string OAuthPrivateKeyFileNotFound = nameof(OAuthPrivateKeyFileNotFound);
    public const string OAuthPrivateKeyInvalid = nameof(OAuthPrivateKeyInvalid);
    public const string OAuthPrivateKeyNotPrivate = nameof(OAuthPrivateKeyNotPrivate);
    public const string OAuthPrivateKeyAlgorithmMismatch = nameof(OAuthPrivateKeyAlgorithmMismatch);
    public const string OAuthPrivateKeyTooWeak = nameof(OAuthPrivateKeyTooWeak);
    public const string OAuthPrivateKeyCurveUnsupported = nameof(OAuthPrivateKeyCurveUnsupported);
    public const string OAuthAlgorithmMissing = nameof(OAuthAlgorithmMissing);
    public const string OAuthKeyIdMissing = nameof(OAuthKeyIdMissing);
    public const string OAuthJwksUrlInvalid = nameof(OAuthJwksUrlInvalid);
    public const string OAuthDiscoveryBaseUriInvalid = nameof(OAuthDiscoveryBaseUriInvalid);
    public const string OAuthDiscoveryCaBundleRequired = nameof(OAuthDiscoveryCaBundleRequired);
    public const string OAuthDiscoveryCaBundleUnused = nameof(OAuthDiscoveryCaBundleUnused);
    public const string OAuthDiscoveryUnreachable = nameof(OAuthDiscoveryUnreachable);
    public const string OAuthDiscoveryTimeout = nameof(OAuthDiscoveryTimeout);
    public const string OAuthDiscoveryFailed = nameof(OAuthDiscoveryFailed);
    public const string OAuthDiscoveryResponseInvalid = nameof(OAuthDiscoveryResponseInvalid);
    public const string OAuthDiscoveryTokenEndpointMissing = nameof(OAuthDiscoveryTokenEndpointMissing);
    public const string OAuthDiscoveryTokenEndpointInsecure = nameof(OAuthDiscoveryTokenEndpointInsecure);
    public const string OAuthDiscoveryMethodNotSupported = nameof(OAuthDiscoveryMethodNotSupported);
    public const string OAuthDiscoveryAlgorithmNotSupported = nameof(OAuthDiscoveryAlgorithmNotSupported);

    // Secretless OAuth: federated client assertions read from a file.
    public const string OAuthClientAssertionPathInvalid = nameof(OAuthClientAssertionPathInvalid);
    public const string OAuthClientAssertionFileNotFound = nameof(OAuthClientAssertionFileNotFound);
    public const string OAuthClientAssertionFileUnreadable = nameof(OAuthClientAssertionFileUnreadable);
    public const string OAuthClientAssertionFileEmpty = nameof(OAuthClientAssertionFileEmpty);
    public const string OAuthEnvironmentIncomplete = nameof(OAuthEnvironmentIncomplete);
    public const string OAuthEnvironmentInvalid = nameof(OAuthEnvironmentInvalid);

    // Secretless OAuth: Azure managed identity.
    public const string OAuthManagedIdentityConflict = nameof(OAuthManagedIdentityConflict);
    public const string OAuthManagedIdentityClientIdInvalid = nameof(OAuthManagedIdentityClientIdInvalid);
    public const string OAuthManagedIdentityScopeInvalid = nameof(OAuthManagedIdentityScopeInvalid);
    public const string ManagedIdentityUnavailable = nameof(ManagedIdentityUnavailable);
    public const string ManagedIdentityNotFound = nameof(ManagedIdentityNotFound);
    public const string ManagedIdentityRequestFailed = nameof(ManagedIdentityRequestFailed);
    public const string ManagedIdentityTimeout = nameof(ManagedIdentityTimeout);

    // Transport: client certificates and proxies per connection.
    public const string ClientCertificateFileNotFound = nameof(ClientCertificateFileNotFound);
    public const string ClientCertificateUnreadable = nameof(ClientCertificateUnreadable);
    public const string ClientCertificatePasswordInvalid = nameof(ClientCertificatePasswordInvalid);
    public const string ClientCertificateNoPrivateKey = nameof(ClientCertificateNoPrivateKey);
    public const string ClientCertificateKeyMismatch = nameof(ClientCertificateKeyMismatch);
    public const string ClientCertificateExpired = nameof(ClientCertificateExpired);
    public const string ClientCertificateNotYetValid = nameof(ClientCertificateNotYetValid);
    public const string ClientCertificateUsageInvalid = nameof(ClientCertificateUsageInvalid);
    public const string ConnectionClientCertificateConflict = nameof(ConnectionClientCertificateConflict);
    public const string ConnectionProxyUriInvalid = nameof(ConnectionProxyUriInvalid);
    public const string ConnectionProxyConflict = nameof(ConnectionProxyConflict);
    public const string ConnectionBulkDataOriginInvalid = nameof(ConnectionBulkDataOriginInvalid);
    public const string ConnectionBulkDataOriginConflict = nameof(ConnectionBulkDataOriginConflict);
    public const string TlsClientCertificateRequired = nameof(TlsClientCertificateRequired);
    public const string TlsClientCertificateRefused = nameof(TlsClientCertificateRefused);
    public const string ProxyUnreachable = nameof(ProxyUnreachable);
    public const string ProxyAuthenticationRequired = nameof(ProxyAuthenticationRequired);
    public const string ProxyTunnelFailed = nameof(ProxyTunnelFailed);

    // Bulk Data export.
    public const string BulkExportGroupIdRequired = nameof(BulkExportGroupIdRequired);
    public const string BulkExportGroupIdInvalid = nameof(BulkExportGroupIdInvalid);
    public const string BulkExportKickoffRefused = nameof(BulkExportKickoffRefused);
    public const string BulkExportStatusUrlMissing = nameof(BulkExportStatusUrlMissing);
    public const string BulkExportStatusUrlForeign = nameof(BulkExportStatusUrlForeign);
    public const string BulkExportStatusUrlInvalid = nameof(BulkExportStatusUrlInvalid);
    public const string BulkExportInsecureUrl = nameof(BulkExportInsecureUrl);
    public const string BulkExportFailed = nameof(BulkExportFailed);
    public const string BulkExportNotFound = nameof(BulkExportNotFound);
    public const string BulkExportStatusUnavailable = nameof(BulkExportStatusUnavailable);
    public const string BulkExportManifestInvalid = nameof(BulkExportManifestInvalid);
    public const string BulkExportFileOriginNotAllowed = nameof(BulkExportFileOriginNotAllowed);
    public const string BulkExportDownloadFailed = nameof(BulkExportDownloadFailed);
    public const string BulkExportFileStalled = nameof(BulkExportFileStalled);
    public const string BulkExportCountMismatch = nameof(BulkExportCountMismatch);
    public const string BulkExportLineInvalid = nameof(BulkExportLineInvalid);
    public const string BulkExportDestinationNotEmpty = nameof(BulkExportDestinationNotEmpty);
    public const string BulkExportDestinationInvalid = nameof(BulkExportDestinationInvalid);
    public const string BulkExportCancelFailed = nameof(BulkExportCancelFailed);
    public const string BulkExportIncomplete = nameof(BulkExportIncomplete);
#pragma warning restore CS1591
}
