using CxrPacsAgent.Worker.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// The admin page's sign-in: a cookie scoped to <c>/admin</c> (HttpOnly, SameSite=Strict, sliding
/// <c>Admin:SessionTimeout</c>), antiforgery tokens in the <c>X-CSRF-TOKEN</c> header of every POST, and a 401 rather than
/// a redirect for API calls without a session.
/// </summary>
public static class AdminAuthentication
{
    public const string Scheme = "cxr-admin";
    public const string TokenHeader = "X-CSRF-TOKEN";
    public const string PathBase = "/admin";
    public const string ApiPath = "/admin/api";

    /// <summary>The keys that sign session cookies and antiforgery tokens, under the state folder (backed up with it).</summary>
    public const string KeysFolder = "data-protection";

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        // Keys in the agent's own state, not the service account's home: sessions survive a restart, and two agents
        // on one machine do not share them.
        services.AddDataProtection().SetApplicationName("cxr-agent");
        services.AddOptions<KeyManagementOptions>().Configure<AgentPaths, ILoggerFactory>((keys, paths, logs) =>
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(paths.StateFolder, KeysFolder)), logs));
        services.AddAuthentication(Scheme).AddCookie(Scheme);
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<AdminOptions>>((cookie, admin) =>
        {
            cookie.Cookie.Name = Scheme;
            cookie.Cookie.Path = PathBase;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = admin.Value.SessionTimeout;
            cookie.LoginPath = PathBase + "/login";
            cookie.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = TokenHeader;
            o.Cookie.Name = Scheme + "-antiforgery";
            o.Cookie.Path = PathBase;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        return services;
    }

    /// <summary>
    /// Authentication and authorization, behind a gate that answers 404 for everything under <c>/admin</c> while no
    /// <c>Admin:PasswordHash</c> is configured (before authentication, so not even a 401 says the page exists).
    /// </summary>
    public static IApplicationBuilder UseAdminAuthentication(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(PathBase, StringComparison.Ordinal)
                && !context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.Enabled)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context).ConfigureAwait(false);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The API answers with the status code; pages go to the sign-in page.</summary>
    private static Task Refuse(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments(ApiPath, StringComparison.Ordinal) || status != StatusCodes.Status401Unauthorized)
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
