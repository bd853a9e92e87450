namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// What a locked SecretStore throws. The real type lives in SecretManagement (SecretStore throws it through the
/// extension functions), so callers that test <c>Exception.GetType().FullName</c> see the same name here.
/// </summary>
public sealed class PasswordRequiredException : InvalidOperationException
{
    /// <summary>The message SecretStore 1.0.6 uses for a locked store.</summary>
    public const string SecretStoreMessage =
        "A valid password is required to access the Microsoft.PowerShell.SecretStore vault.\n"
        + "Use the Unlock-SecretStore cmdlet to provide the required password to access the store.";

    /// <summary>Creates the exception with the given message.</summary>
    public PasswordRequiredException(string msg)
        : base(msg)
    {
    }
}
