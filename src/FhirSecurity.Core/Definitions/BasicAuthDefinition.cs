using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Definitions;

/// <summary>A user name and password for HTTP Basic authentication (RFC 7617, UTF-8).</summary>
public sealed record BasicAuthDefinition : Definition
{
    /// <summary>The user name. RFC 7617 forbids a colon in it.</summary>
    public required string UserName { get; init; }

    /// <summary>The password.</summary>
    public required SecretValue Password { get; init; }

    /// <inheritdoc />
    public override DefinitionKind Kind => DefinitionKind.BasicAuth;

    /// <inheritdoc />
    public override void Validate()
    {
        DefinitionName.Validate(Name, Kind);
        if (string.IsNullOrEmpty(UserName) || UserName.Contains(':', StringComparison.Ordinal))
        {
            throw new FhirSecurityException(
                ErrorIds.BasicAuthUserNameInvalid,
                FailureCategory.InvalidArgument,
                "The user name of a Basic Auth definition must not be empty and must not contain a colon (RFC 7617)."
                + " Pass a credential whose UserName is the account the server's maintainers gave you.",
                Name);
        }
    }
}
