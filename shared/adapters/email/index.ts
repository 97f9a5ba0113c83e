export type { EmailSender, OutgoingEmail, SendEmailOptions } from "./emailSender";
export { EmailRejectedError } from "./emailSender";
export { createEmlFileSender, emlFileName, toRfc5322 } from "./emlFileSender";
export { createAcsEmailSender, operationIdFor } from "./acsEmailSender";
