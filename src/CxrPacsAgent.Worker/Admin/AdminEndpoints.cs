using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.State;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using HttpResults = Microsoft.AspNetCore.Http.Results;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// <c>/admin</c>: the page (embedded static files) and its JSON API under <c>/admin/api</c>. Everything but the sign-in
/// page, its assets and the antiforgery token needs a session; every POST needs the antiforgery token; with no
/// <c>Admin:PasswordHash</c> configured all of it answers 404 (<see cref="AdminAuthentication.UseAdminAuthentication"/>). docs/operations.md lists the endpoints.
/// </summary>
public static class AdminEndpoints
{
    private const int MaxIdsPerAction = 1000;

    /// <summary>The audit log's action and outcome for sign-ins.</summary>
    public const string SignInAction = "sign-in";

    /// <inheritdoc cref="SignInAction"/>
    public const string LockedOut = "locked out";

    /// <summary>A failed sign-in answers after this long, so guessing passwords is slow.</summary>
    private static readonly TimeSpan FailedSignInDelay = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapAgentAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup(AdminAuthentication.PathBase).AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            // What antiforgery sets on the responses carrying a token; set on all, so it has nothing to override.
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
            return await next(context).ConfigureAwait(false);
        });

        admin.MapGet("/", () => AdminAssets.Serve("index.html")).RequireAuthorization();
        admin.MapGet("/login", () => AdminAssets.Serve("login.html")).AllowAnonymous();
        admin.MapGet("/assets/{name}", (string name) => AdminAssets.Serve(name)).AllowAnonymous();
        admin.MapGet("/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
            TypedResults.Json(new JsonObject { ["token"] = antiforgery.GetAndStoreTokens(http).RequestToken })).AllowAnonymous();
        admin.MapPost("/login", SignInAsync).AllowAnonymous().AddEndpointFilter(ValidateAntiforgery);
        admin.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(AdminAuthentication.Scheme).ConfigureAwait(false);
            return HttpResults.NoContent();
        }).RequireAuthorization().AddEndpointFilter(ValidateAntiforgery);

        var api = admin.MapGroup("/api").RequireAuthorization();
        api.MapGet("/me", (HttpContext http, IOptions<AdminOptions> options) => TypedResults.Json(new JsonObject
        {
            ["user"] = AdminUser.Of(http).Name,
            ["showPatientData"] = options.Value.ShowPatientData,
        }));
        api.MapGet("/overview", async (OverviewReport overview, HttpContext http) =>
            TypedResults.Json(await overview.BuildAsync(http.RequestAborted).ConfigureAwait(false)));
        api.MapGet("/studies", async (StudyViews studies, HttpContext http, int? max) =>
            TypedResults.Json(await studies.RecentAsync(max ?? 100, http.RequestAborted).ConfigureAwait(false)));
        api.MapGet("/studies/{id:long}", async (long id, StudyViews studies, HttpContext http) =>
            await studies.TimelineAsync(id, http.RequestAborted).ConfigureAwait(false) is { } study
                ? HttpResults.Json(study)
                : HttpResults.NotFound());
        api.MapGet("/studies/{id:long}/thumbnail", async (long id, IAdminStore store, HttpContext http) =>
        {
            if (await store.ThumbnailAsync(id, http.RequestAborted).ConfigureAwait(false) is not { } png)
            {
                return HttpResults.NotFound();
            }
            // A radiograph, however small: never kept by a proxy or on the browser's disk.
            http.Response.Headers.CacheControl = "private, no-store";
            return HttpResults.Bytes(png, StudyViews.ThumbnailMediaType);
        });
        api.MapGet("/failed-jobs", async (StudyViews studies, HttpContext http, int? max) =>
            TypedResults.Json(await studies.FailedAsync(max ?? 500, http.RequestAborted).ConfigureAwait(false)));
        api.MapPost("/failed-jobs/retry", (IdList body, AdminActions actions, HttpContext http) =>
            ActAsync(body, http, actions.RetryJobsAsync)).AddEndpointFilter(ValidateAntiforgery);
        api.MapPost("/failed-jobs/cancel", (IdList body, AdminActions actions, HttpContext http) =>
            ActAsync(body, http, actions.CancelJobsAsync)).AddEndpointFilter(ValidateAntiforgery);
        api.MapGet("/dead-letters", async (IAdminStore store, HttpContext http, int? max) =>
        {
            var letters = await store.DeadLettersAsync(Math.Clamp(max ?? 500, 1, 5000), http.RequestAborted).ConfigureAwait(false);
            return TypedResults.Json(new JsonArray([.. letters.Select(d => (JsonNode?)StudyViews.Delivery(d))]));
        });
        api.MapPost("/dead-letters/retry", (IdList body, AdminActions actions, HttpContext http) =>
            ActAsync(body, http, actions.RetryAsync)).AddEndpointFilter(ValidateAntiforgery);
        api.MapPost("/dead-letters/cancel", (IdList body, AdminActions actions, HttpContext http) =>
            ActAsync(body, http, actions.CancelAsync)).AddEndpointFilter(ValidateAntiforgery);
        api.MapGet("/audit", async (IAdminStore store, HttpContext http, int? max) =>
        {
            var entries = await store.AuditAsync(Math.Clamp(max ?? 200, 1, 5000), http.RequestAborted).ConfigureAwait(false);
            return TypedResults.Json(new JsonArray([.. entries.Select(e => (JsonNode?)new JsonObject
            {
                ["at"] = e.At,
                ["user"] = e.User,
                ["action"] = e.Action,
                ["target"] = e.Target,
                ["outcome"] = e.Outcome,
                ["client"] = e.Client,
            })]));
        });
        api.MapGet("/configuration", (ConfigurationView configuration) => TypedResults.Json(configuration.Build()));
        return endpoints;
    }

    /// <summary>The ids of the outbox items or jobs a Retry or Cancel applies to.</summary>
    public sealed record IdList(long[]? Ids);

    /// <summary>The sign-in form's fields.</summary>
    public sealed record SignIn(string? User, string? Password);

    private static async Task<IResult> ActAsync(IdList body, HttpContext http,
        Func<IReadOnlyList<long>, AdminUser, CancellationToken, Task<IReadOnlyList<(long Id, AdminActionOutcome Outcome)>>> action)
    {
        if (body.Ids is not { Length: > 0 and <= MaxIdsPerAction } ids)
        {
            return HttpResults.Problem($"ids: give 1 to {MaxIdsPerAction} ids", statusCode: StatusCodes.Status400BadRequest);
        }
        var outcomes = await action(ids, AdminUser.Of(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(new JsonArray([.. outcomes.Select(o => (JsonNode?)new JsonObject
        {
            ["id"] = o.Id,
            ["outcome"] = AdminActions.Text(o.Outcome),
            ["done"] = o.Outcome == AdminActionOutcome.Done,
        })]));
    }

    private static async Task<IResult> SignInAsync(SignIn body, HttpContext http, IOptions<AdminOptions> options, IAdminStore store,
        SignInThrottle throttle, AgentMetrics metrics, TimeProvider time)
    {
        try
        {
            return await CheckSignInAsync(body, http, options.Value, store, throttle, metrics, time).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // The lockout lives in the state store: without it nobody is let in, the right password included.
            metrics.AdminSignIns.WithLabels("unavailable").Inc();
            return HttpResults.Problem("Sign-in is unavailable: the agent's state database cannot be reached.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<IResult> CheckSignInAsync(SignIn body, HttpContext http, AdminOptions admin, IAdminStore store,
        SignInThrottle throttle, AgentMetrics metrics, TimeProvider time)
    {
        var user = body.User ?? "";
        var client = AdminUser.ClientOf(http);
        Task AuditAsync(string outcome) => store.RecordAuditAsync(
            new AuditEntry(time.GetUtcNow(), Printable(user), SignInAction, "admin page", outcome, client), http.RequestAborted);
        // Locked out: refused without looking at the password, the same for a name that exists and one that does not.
        if (await throttle.LockedForAsync(user, client, http.RequestAborted).ConfigureAwait(false) is { } wait)
        {
            metrics.AdminSignIns.WithLabels("locked-out").Inc();
            await AuditAsync(LockedOut).ConfigureAwait(false);
            // As slow as a failure, so hammering the lock out costs the same as guessing did.
            await Task.Delay(FailedSignInDelay, time, http.RequestAborted).ConfigureAwait(false);
            http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return HttpResults.Problem(wait < TimeSpan.FromMinutes(2)
                    ? $"Try again in {Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s."
                    : $"Try again in {Math.Ceiling(wait.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }
        // Both checked every time, so a wrong name and a wrong password take as long.
        var passwordOk = AdminPassword.Verify(admin.PasswordHash, body.Password ?? "");
        var ok = string.Equals(user, admin.User, StringComparison.Ordinal) & passwordOk;
        if (!ok)
        {
            var locks = await throttle.RecordFailureAsync(user, client).ConfigureAwait(false);
            metrics.AdminSignIns.WithLabels("refused").Inc();
            await AuditAsync(locks ? $"refused; locked out for {admin.LockoutDuration}" : "refused").ConfigureAwait(false);
            await Task.Delay(FailedSignInDelay, time, http.RequestAborted).ConfigureAwait(false);
            return HttpResults.Problem("wrong user name or password", statusCode: StatusCodes.Status401Unauthorized);
        }
        await throttle.RecordSuccessAsync(user, client).ConfigureAwait(false);
        metrics.AdminSignIns.WithLabels("signed-in").Inc();
        await AuditAsync("done").ConfigureAwait(false);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, admin.User)], AdminAuthentication.Scheme);
        await http.SignInAsync(AdminAuthentication.Scheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        return HttpResults.NoContent();
    }

    /// <summary>A user name as typed, made safe for the audit log: printable, at most 64 characters.</summary>
    private static string Printable(string text) =>
        new([.. text.Where(c => !char.IsControl(c)).Take(64)]);

    private static async ValueTask<object?> ValidateAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            return HttpResults.Problem($"missing or invalid antiforgery token ({AdminAuthentication.TokenHeader})",
                statusCode: StatusCodes.Status400BadRequest);
        }
        return await next(context).ConfigureAwait(false);
    }
}
