package dev.moat.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.restassured.path.json.JsonPath;

/**
 * The web console in a real browser: Debian's Chromium, headless, driven by Selenium through chromedriver, against
 * the real stack ({@code deploy/moat up}, which starts the console as its fifth process). The browser talks to the
 * console only; what the console did is then checked through Moat's own APIs, as a user with curl would.
 *
 * <p>The console believes {@code X-Forwarded-For} from loopback here ({@code --console-trusted-proxies}), as if a
 * proxy stood in front of it, so that the browser can come from a public address (Chromium adds the header through
 * the DevTools protocol): loopback itself is an address no IP rule may name.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    static final String BROWSER_ADDRESS = "203.0.113.77";

    static LocalStack stack;
    static StackClient client;
    static ChromeDriver browser;
    static Path profile;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.up("console-browser-test", "--trust-loopback-proxy", "--console-trusted-proxies", "127.0.0.1");
        client = new StackClient(stack);
        profile = Files.createTempDirectory(stack.dataDir.getParent(), "chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile,
                // trust exactly the stack's server key (its certificate comes from the stack's own CA)
                "--ignore-certificate-errors-spki-list=" + spki(stack.dataDir.resolve("vault/tls/server.crt")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("X-Forwarded-For", BROWSER_ADDRESS)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static String spki(Path certificate) throws Exception {
        try (var in = Files.newInputStream(certificate)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(cert.getPublicKey().getEncoded()));
        }
    }

    private static void open(String path) {
        browser.get(stack.consoleUrl() + path);
    }

    private static WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    /**
     * Clicks a link or a submit button and waits until the browser has left the page it was on: a click returns
     * once the event is dispatched, not once the next page is loaded, so reading the page right after it may read
     * the old one.
     */
    private static void follow(String css) {
        WebElement page = browser.findElement(By.tagName("html"));
        find(css).click();
        // while the old document is torn down chromedriver may answer with other errors than "stale" for a moment
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(WebDriverException.class)
                .until(ExpectedConditions.stalenessOf(page));
    }

    private static void signIn(String user) {
        open("/vaults");
        assertThat(browser.getCurrentUrl()).startsWith(stack.managementUrl() + "/").contains("/oauth2/v2.0/authorize");
        find("#username").sendKeys(client.credential("MOAT_CONSOLE_" + user.toUpperCase() + "_USER"));
        find("#password").sendKeys(client.credential("MOAT_CONSOLE_" + user.toUpperCase() + "_PASSWORD"));
        follow("#sign-in");
        assertThat(browser.getCurrentUrl()).isEqualTo(stack.consoleUrl() + "/vaults");
        assertThat(find("#user").getText()).isEqualTo(user);
    }

    private static void signOut() {
        follow("#sign-out");
        assertThat(browser.getCurrentUrl()).endsWith("/signin/signed-out");
    }

    private static void createVault(String name) {
        open("/vaults");
        find("#name").sendKeys(name);
        follow("#create");
        assertThat(find("#vault-uri").getText()).isEqualTo("https://" + name + ".vault.localhost:" + stack.vaultPort
                + "/");
    }

    private static JsonPath armVault(String name) {
        return given().auth().oauth2(client.managementToken("ADMIN"))
                .get(stack.managementUrl() + "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/"
                        + name + "?api-version=2023-02-01")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void screenshot(String name) throws Exception {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    @Order(1)
    void signs_in_creates_a_vault_and_sets_its_firewall_and_a_subnet_rule_which_the_arm_api_then_shows()
            throws Exception {
        String subnet = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/apps/subnets/web";
        client.armPut("Microsoft.Network/virtualNetworks/apps", """
                {"location":"local","properties":{"addressSpace":{"addressPrefixes":["10.20.0.0/16"]},
                 "subnets":[{"name":"web","properties":{"addressPrefix":"10.20.1.0/24"}}]}}""").statusCode(201);

        signIn("admin");
        createVault("browser1");
        follow("#networking");
        find("#access-selected").click();
        find("#newIp").sendKeys("198.51.100.0/24");
        follow("#add-ip");
        new Select(find("#newSubnet")).selectByValue(subnet);
        follow("#add-subnet");
        // the subnet lacks the Microsoft.KeyVault endpoint: the page says so and offers to enable it
        assertThat(find("#subnet-error-0").getText()).contains("does not have the Microsoft.KeyVault service endpoint");
        follow("#enable-endpoint-0");
        assertThat(find("#notice").getText()).contains("Microsoft.KeyVault service endpoint is enabled");
        assertThat(browser.findElements(By.id("subnet-error-0"))).isEmpty();
        assertThat(find("#access-selected").isSelected()).isTrue();
        follow("#save");
        assertThat(find("#notice").getText()).startsWith("Saved.");
        screenshot("console-networking.png");

        JsonPath vault = armVault("browser1");
        assertThat(vault.getString("properties.networkAcls.defaultAction")).isEqualTo("Deny");
        assertThat(vault.getString("properties.networkAcls.bypass")).isEqualTo("AzureServices");
        assertThat(vault.getList("properties.networkAcls.ipRules.value")).containsExactly("198.51.100.0/24");
        assertThat(vault.getList("properties.networkAcls.virtualNetworkRules.id")).containsExactly(subnet);
        assertThat(vault.getString("properties.publicNetworkAccess")).isEqualTo("Enabled");
        // the console created the vault as the signed-in person: its access policy names her
        assertThat(vault.getList("properties.accessPolicies.objectId"))
                .containsExactly(client.credential("MOAT_CONSOLE_ADMIN_OBJECT_ID"));
    }

    @Test
    @Order(2)
    void a_private_range_and_too_many_ip_rules_show_policy_services_messages_beside_the_fields_and_save_nothing() {
        createVault("browser2");
        open("/vaults/rg/browser2/networking");
        find("#access-selected").click();
        for (int i = 0; i <= 129; i++) {
            find("#newIp").sendKeys(i == 0 ? "10.0.0.0/8" : "203.0.1." + i);
            follow("#add-ip");
            // each Add re-renders the form with one more row (nothing is saved yet)
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(ExpectedConditions.presenceOfElementLocated(By.id("ip-" + i)));
        }
        assertThat(browser.findElements(By.cssSelector("#ip-rules input[name=ip]"))).hasSize(130);
        follow("#save");

        assertThat(find("#ip-error-0").getText()).contains("10.0.0.0/8");
        assertThat(find("#ip-rules-error").getText()).contains("130").contains("127");
        assertThat(browser.findElements(By.cssSelector("[id^=ip-error-]"))).hasSize(1);
        JsonPath vault = armVault("browser2");
        assertThat(vault.getString("properties.networkAcls.defaultAction")).isNotEqualTo("Deny");
        assertThat(vault.getList("properties.networkAcls.ipRules")).isNullOrEmpty();
    }

    @Test
    @Order(3)
    void a_denied_browser_sees_the_firewalls_message_finds_the_denial_and_adds_the_rule_that_admits_it() {
        createVault("browser3");
        open("/vaults/rg/browser3/networking");
        find("#access-selected").click();
        follow("#save");
        assertThat(find("#notice").getText()).startsWith("Saved.");

        open("/vaults/rg/browser3/secrets");
        assertThat(find("#firewall-message").getText()).contains("Client address is not authorized")
                .contains("Client address: " + BROWSER_ADDRESS);
        String decisionId = find("#decision-link").getAttribute("href").replaceAll(".*/", "");
        follow("#decision-link");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            browser.navigate().refresh();
            return !browser.findElements(By.id("decision-client")).isEmpty()
                    && !browser.findElements(By.cssSelector("button.add-rule[data-rule='" + BROWSER_ADDRESS + "']"))
                            .isEmpty();
        });
        assertThat(find("#decision-client").getText()).isEqualTo(BROWSER_ADDRESS);
        assertThat(find("#decision-vault").getText()).isEqualTo("browser3");
        assertThat(browser.getCurrentUrl()).endsWith("/audit/decisions/" + decisionId);
        follow("button.add-rule[data-rule='" + BROWSER_ADDRESS + "']");
        assertThat(find("#notice").getText()).contains("Added " + BROWSER_ADDRESS);

        open("/vaults/rg/browser3/secrets");
        assertThat(browser.findElements(By.id("firewall-denied"))).isEmpty();
        assertThat(find("#items").getText()).contains("No secrets");
        assertThat(armVault("browser3").getList("properties.networkAcls.ipRules.value")).containsExactly(BROWSER_ADDRESS);
    }

    @Test
    @Order(4)
    void a_change_without_the_csrf_token_is_refused_and_changes_nothing() throws Exception {
        Cookie session = browser.manage().getCookieNamed("__Host-moat-session");
        assertThat(session).isNotNull();
        for (String csrf : new String[] {null, "not-the-token"}) {
            String form = "op=save&access=all" + (csrf == null ? "" : "&csrf=" + csrf);
            HttpResponse<String> answer = http().send(HttpRequest.newBuilder(URI.create(stack.consoleUrl()
                    + "/vaults/rg/browser1/networking")).header("Cookie", session.getName() + "=" + session.getValue())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(403);
        }
        assertThat(armVault("browser1").getString("properties.networkAcls.defaultAction")).isEqualTo("Deny");
    }

    @Test
    @Order(5)
    void a_user_without_management_rights_sees_the_vault_but_cannot_change_it() {
        signOut();
        signIn("reader");
        assertThat(find("#vaults").getText()).contains("browser1");
        open("/vaults/rg/browser1/networking");
        assertThat(find("#access-selected").isSelected()).isTrue();
        find("#access-all").click();
        follow("#save");
        assertThat(find(".general-error").getText()).contains("does not have authorization");
        open("/vaults/rg/browser1");
        follow("#delete-vault");
        assertThat(find("#error").getText()).contains("does not have authorization");
        assertThat(armVault("browser1").getString("properties.networkAcls.defaultAction")).isEqualTo("Deny");
        signOut();
    }

    static List<String[]> unsignedRequests() {
        return List.of(new String[] {"GET", "/"}, new String[] {"GET", "/vaults"},
                new String[] {"GET", "/vaults/rg/browser1"}, new String[] {"GET", "/vaults/rg/browser1/networking"},
                new String[] {"GET", "/vaults/rg/browser1/secrets"}, new String[] {"GET", "/vaults/rg/browser1/keys"},
                new String[] {"GET", "/networks"}, new String[] {"GET", "/audit"},
                new String[] {"GET", "/audit/changes"}, new String[] {"GET", "/audit/decisions/x"},
                new String[] {"POST", "/vaults"}, new String[] {"POST", "/vaults/rg/browser1/delete"},
                new String[] {"POST", "/vaults/rg/browser1/networking"}, new String[] {"POST", "/audit/add-rule"},
                new String[] {"POST", "/signout"});
    }

    @Test
    @Order(6)
    void without_a_session_every_page_and_action_redirects_to_sign_in() throws Exception {
        for (String[] request : unsignedRequests()) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stack.consoleUrl() + request[1]));
            builder = request[0].equals("GET") ? builder.GET() : builder
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("op=save&access=all"));
            HttpResponse<String> answer = http().send(builder.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(request[0] + " " + request[1]).isEqualTo(303);
            assertThat(answer.headers().firstValue("Location").orElse("")).as(request[0] + " " + request[1])
                    .startsWith(stack.consoleUrl() + "/signin");
            assertThat(answer.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("default-src 'none'");
        }
        assertThat(armVault("browser1").getString("properties.networkAcls.defaultAction")).isEqualTo("Deny");
    }

    private static HttpClient http() throws Exception {
        return HttpClient.newBuilder().sslContext(stack.sslContext()).followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
