/** Offers a file the resolver produced as a download: a Blob, an object URL and a temporary link. */
export const downloadFile = (file: { filename: string; mediaType: string; content: string }): void => {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
