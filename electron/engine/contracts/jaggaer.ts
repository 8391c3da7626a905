// JAGGAER facts both Ferry's connector and the sandbox take from here (neither imports the other). Issue 14
// grows this into JAGGAER's full contract; for now it holds the fact the two shared by import.

/**
 * The eProcurement PO XML import: POST {base}/apps/Router/POXMLImport with a PurchaseOrderMessage (PO.dtd,
 * version 3.0). Source: a real published request to usertest.sciquest.com/apps/Router/POXMLImport in a public
 * repository (an AngularJS app posting a PurchaseOrderMessage; found by the code search, id 14714867785), and
 * ../shared/docs/external-systems.md ("Purchase orders"). Customers' tenants may differ: the path is a setting.
 */
export const JAGGAER_PO_IMPORT_PATH = '/apps/Router/POXMLImport';
